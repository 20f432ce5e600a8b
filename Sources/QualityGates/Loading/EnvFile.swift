import ConfigFiles
import FoundationEssentials

/// A `--env-file`: dotenv syntax, each problem a configuration error at its line and column.
public enum EnvFile {
    /// The variables `path` sets; the last assignment of a name wins.
    public static func read(_ path: String) -> Result<[String: String], ConfigError> {
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(ConfigError(.cannotRead(reason: "no such env file"), at: SourceLocation(file: path)))
        }
        do {
            let entries = try DotEnv.parse(String(decoding: data, as: UTF8.self))
            return .success(Dictionary(entries.map { ($0.name, $0.value) }) { _, last in last })
        } catch {
            return .failure(ConfigError(.envFileSyntax(error.reason), at: SourceLocation(file: path, line: error.line, column: error.column)))
        }
    }
}
