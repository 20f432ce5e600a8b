import JSON
import YAMLReader

/// The formats configuration is kept in, and reading each into a `ConfigNode` tree.
public enum ConfigFormat: String, Sendable, CaseIterable {
    /// `KEY=value` lines: `.env`, `.env.example`, `backend.env.template`.
    case dotenv
    /// `railway.toml`, `pyproject.toml`, `fly.toml`, `netlify.toml`.
    case toml
    /// `docker-compose.yml`, Kubernetes manifests, `render.yaml`, `app.json`-like YAML.
    case yaml
    /// `app.json`, `package.json`, `vercel.json`, `eas.json`.
    case json
    /// A Python application's settings code: the environment variables it reads, with the
    /// defaults it gives them (`settings.py`, `config.py`; see `PythonSettings`).
    case python

    /// The format a file name says, or nil when it says none.
    public static func of(fileName path: String) -> ConfigFormat? {
        let name = (path.split(separator: "/").last.map(String.init) ?? path).lowercased()
        if name.hasSuffix(".toml") { return .toml }
        if name.hasSuffix(".yml") || name.hasSuffix(".yaml") { return .yaml }
        if name.hasSuffix(".json") { return .json }
        if name.hasSuffix(".py") { return .python }
        if name == ".env" || name.hasPrefix(".env.") || name.hasSuffix(".env") || name.contains(".env.") || name == "env.example" {
            return .dotenv
        }
        return nil
    }

    /// The file's content as a tree; an empty file is an empty table.
    public func parse(_ bytes: [UInt8]) throws(ConfigSyntaxError) -> ConfigNode {
        switch self {
        case .toml: return try TOMLReader.parse(bytes)
        case .json:
            do {
                return Self.node(try JSONReader.parse(bytes))
            } catch {
                throw ConfigSyntaxError(line: error.line, column: error.column, reason: error.reason)
            }
        case .yaml:
            do {
                guard let root = try YAMLReader.read(bytes) else { return ConfigNode(.table([]), line: 1, column: 1) }
                return Self.node(root)
            } catch {
                throw ConfigSyntaxError(line: error.mark?.line ?? 1, column: error.mark?.column ?? 1, reason: error.problem)
            }
        case .python:
            return ConfigNode(.table(PythonSettings.parse(String(decoding: bytes, as: UTF8.self)).map { entry in
                ConfigMember(key: entry.name, node: ConfigNode(.scalar(entry.value), line: entry.line, column: entry.column))
            }), line: 1, column: 1)
        case .dotenv:
            do {
                let entries = try DotEnv.parse(String(decoding: bytes, as: UTF8.self))
                return ConfigNode(.table(entries.map { entry in
                    ConfigMember(key: entry.name, node: ConfigNode(.scalar(ConfigScalar(entry.value, kind: .string)), line: entry.line, column: entry.column))
                }), line: 1, column: 1)
            } catch {
                throw ConfigSyntaxError(line: error.line, column: error.column, reason: error.reason)
            }
        }
    }

    static func node(_ json: JSONNode) -> ConfigNode {
        let value: ConfigNode.Value = switch json.value {
        case .null: .scalar(ConfigScalar("null", kind: .null))
        case .bool(let flag): .scalar(ConfigScalar(flag ? "true" : "false", kind: .boolean))
        case .number(_, let text): .scalar(ConfigScalar(text, kind: text.contains(where: { ".eE".contains($0) }) ? .float : .integer))
        case .string(let text): .scalar(ConfigScalar(text, kind: .string))
        case .array(let items): .list(items.map(node))
        case .object(let members): .table(members.map { ConfigMember(key: $0.name, node: node($0.value)) })
        }
        return ConfigNode(value, line: json.line, column: json.column)
    }

    /// YAML's core schema for plain scalars (null, booleans, numbers); quoted scalars are strings.
    static func node(_ yaml: YAMLNode) -> ConfigNode {
        switch yaml {
        case .scalar(let scalar):
            return ConfigNode(.scalar(ConfigScalar(scalar.value, kind: kind(of: scalar))), line: scalar.mark.line, column: scalar.mark.column)
        case .sequence(let items, let mark):
            return ConfigNode(.list(items.map(node)), line: mark.line, column: mark.column)
        case .mapping(let pairs, let mark):
            return ConfigNode(.table(pairs.map { ConfigMember(key: $0.key.value, node: node($0.value)) }), line: mark.line, column: mark.column)
        }
    }

    private static func kind(of scalar: YAMLScalar) -> ConfigScalar.Kind {
        guard scalar.style == .plain, scalar.tag == nil else { return .string }
        if scalar.isNull { return .null }
        if ["true", "True", "TRUE", "false", "False", "FALSE"].contains(scalar.value) { return .boolean }
        if Int(scalar.value) != nil { return .integer }
        if Double(scalar.value) != nil, scalar.value.contains(where: { ".eE".contains($0) }) { return .float }
        return .string
    }
}
