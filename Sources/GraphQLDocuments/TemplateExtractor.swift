import TextSearch

/// A GraphQL document found in a JavaScript or TypeScript file, in any of the forms frontends use:
/// a `gql`/`graphql` tagged template, a `graphql(…)`/`gql(…)` call (GraphQL Code Generator's client
/// preset, gql.tada), or a template marked with a `/* GraphQL */` comment.
public struct TaggedTemplate: Equatable, Sendable {
    /// How the document is written, which decides how its fragments are found.
    public enum Form: String, Sendable, Equatable {
        /// gql`…` or graphql`…` (Apollo, graphql-tag): fragments come in through `${…}`.
        case tag
        /// graphql(`…`) or gql(`…`) (codegen's client preset, gql.tada): the generator resolves
        /// fragments by name, or gql.tada from the list given after the template.
        case call
        /// /* GraphQL */ `…`: as a tag.
        case comment
        /// A whole `.graphql` file.
        case file
    }

    /// One `${…}` in the template: the expression as written, and where it starts in the file.
    public struct Interpolation: Equatable, Sendable {
        public var expression: String
        public var line: Int
        public var column: Int
    }

    /// The template's text; each `${…}` interpolation is blanked to spaces (its line breaks kept),
    /// so positions in the text are positions in the file.
    public var text: String
    /// Where the text starts in the file (after the backtick): line and column from 1, columns in
    /// Unicode scalars, as editors count them.
    public var line: Int
    public var column: Int
    public var form: Form = .tag
    /// The name the template is assigned to (`export const CHILD_FIELDS = gql…` → CHILD_FIELDS;
    /// `child: gql…` in an object literal → child; `export default gql…` → default).
    public var binding: String?
    public var interpolations: [Interpolation] = []
    /// gql.tada's fragment list: graphql(`…`, [ChildFields, …]).
    public var fragmentArguments: [String] = []

    public init(text: String, line: Int, column: Int, form: Form = .tag, binding: String? = nil,
                interpolations: [Interpolation] = [], fragmentArguments: [String] = []) {
        self.text = text
        self.line = line
        self.column = column
        self.form = form
        self.binding = binding
        self.interpolations = interpolations
        self.fragmentArguments = fragmentArguments
    }

    /// The file position of a position in `text`.
    public func filePosition(line textLine: Int, column textColumn: Int) -> (line: Int, column: Int) {
        textLine == 1 ? (line, column + textColumn - 1) : (line + textLine - 1, textColumn)
    }
}

/// An `import`/`export … from` of a JavaScript or TypeScript file, as far as templates need it.
public struct ScriptImport: Equatable, Sendable {
    /// What the binding takes from the module.
    public enum Imported: Equatable, Sendable {
        case name(String)
        case defaultExport
        case namespace
        /// `export * from './x'`: every name of the module, re-exported.
        case everything
    }

    /// The local name (`import { A as B }` → B); for a re-export, the exported name.
    public var local: String
    public var imported: Imported
    /// The module specifier as written (`./fragments`, `@/lib/graphql`).
    public var module: String
    /// True for `export … from`: the module passes the binding on.
    public var isReexport: Bool
}

/// The GraphQL documents and imports of one JavaScript or TypeScript source.
public struct ScriptSource: Equatable, Sendable {
    public var templates: [TaggedTemplate] = []
    public var imports: [ScriptImport] = []
}

/// Finds the GraphQL documents of a JavaScript/TypeScript source. A lexer, not a parser: it knows
/// strings, comments, regular-expression literals and template literals nested through `${…}`
/// well enough that a backtick or a `gql` inside any of them is not taken for a template. JSX text
/// is not tokenized; a quote in it ends at the line's end, so damage stays on that line.
public enum TemplateExtractor {
    static let tags: Set<String> = ["gql", "graphql"]

    /// The templates of `source`.
    public static func templates(in source: [UInt8]) -> [TaggedTemplate] {
        read(source).templates
    }

    /// The templates and imports of `source`.
    public static func read(_ source: [UInt8]) -> ScriptSource {
        var scanner = TemplateScanner(source)
        scanner.run()
        return ScriptSource(templates: scanner.finishedTemplates(), imports: ImportReader.imports(in: scanner.tokens))
    }
}

/// A token of top-level code, kept to find bindings, imports and gql.tada's fragment lists.
enum ScriptToken: Equatable {
    case word(String)
    case punctuation(UInt8)
    case string(String)
    /// A captured template, by its index among the found ones.
    case template(Int)
}
