import ConfigFiles
import Testing

/// Keys found in every format real projects keep their settings in, with the place they are written.
struct ConfigLookupTests {
    private func find(_ text: String, _ format: ConfigFormat, _ key: String) throws -> [String] {
        let root = try format.parse(Array(text.utf8))
        return try root.lookup(ConfigKeyPath(key)).map { "\($0.key)=\($0.node.displayText)@\($0.node.line):\($0.node.column)" }
    }

    static let compose = """
        x-supabase: &supabase
          SUPABASE_URL: ${SUPABASE_URL}
        services:
          api:
            build: ./NestSync-backend
            environment:
              <<: *supabase
              DATA_REGION: canada-central
              RETENTION_DAYS: 2555
          worker:
            image: nestsync/worker
            environment:
              - DATA_REGION=us-east-1
              - SUPABASE_JWT_SECRET
          db:
            image: postgres:15

        """

    @Test("docker compose: environment in its map form, its list form, and through a YAML merge key")
    func compose() throws {
        #expect(try find(Self.compose, .yaml, "services.*.environment.DATA_REGION")
                == ["services.api.environment.DATA_REGION=canada-central@8:20", "services.worker.environment.DATA_REGION=us-east-1@13:21"])
        #expect(try find(Self.compose, .yaml, "services.api.environment.SUPABASE_URL") == ["services.api.environment.SUPABASE_URL=${SUPABASE_URL}@2:17"])
        #expect(try find(Self.compose, .yaml, "services.*.environment.SUPABASE_JWT_SECRET")
                == ["services.worker.environment.SUPABASE_JWT_SECRET=${SUPABASE_JWT_SECRET}@14:9"])
        #expect(try find(Self.compose, .yaml, "services.db.environment.DATA_REGION").isEmpty)
        #expect(try find(Self.compose, .yaml, "services.*.environment.*").count == 5)
    }

    @Test("TOML tables, JSON objects and arrays, dotenv variables")
    func formats() throws {
        #expect(try find("[env]\nDATA_REGION = \"ca-central-1\"\n", .toml, "env.DATA_REGION") == ["env.DATA_REGION=ca-central-1@2:15"])
        let json = "{\n  \"expo\": {\"extra\": {\"region\": \"canada-east\", \"regions\": [\"a\", \"b\"]}},\n  \"a.b\": 1\n}"
        #expect(try find(json, .json, "expo.extra.region") == ["expo.extra.region=canada-east@2:32"])
        #expect(try find(json, .json, "expo.extra.regions.1") == ["expo.extra.regions.1=b@2:64"])
        #expect(try find(json, .json, "\"a.b\"") == ["a.b=1@3:10"])
        #expect(try find("# region\nexport DATA_REGION='canada-central'\n", .dotenv, "DATA_REGION") == ["DATA_REGION=canada-central@2:20"])
    }

    @Test("the format comes from the file name", arguments: [
        (".env", ConfigFormat.dotenv), ("backend/.env.example", .dotenv), ("prod.env", .dotenv), ("app.env.template", .dotenv),
        ("railway.toml", .toml), ("docker-compose.prod.yml", .yaml), ("render.yaml", .yaml), ("app.json", .json),
    ])
    func formatFromName(_ name: String, _ format: ConfigFormat) {
        #expect(ConfigFormat.of(fileName: name) == format)
    }

    @Test("a file of unknown kind says so")
    func unknownFormat() {
        #expect(ConfigFormat.of(fileName: "settings.ini") == nil)
        #expect(ConfigFormat.of(fileName: "Dockerfile") == nil)
    }

    @Test("syntax errors carry the line and column, in every format")
    func syntaxErrors() {
        #expect(throws: ConfigSyntaxError(line: 2, column: 10, reason: "expected ',' or '}' in an object")) {
            try ConfigFormat.json.parse(Array("{\n  \"a\": 1 \"b\": 2}".utf8))
        }
        #expect(throws: ConfigSyntaxError(line: 2, column: 1, reason: "expected KEY=value")) {
            try ConfigFormat.dotenv.parse(Array("A=1\nnonsense\n".utf8))
        }
        #expect((try? ConfigFormat.yaml.parse(Array("a: [1, 2\n".utf8))) == nil)
    }

    @Test("key paths: quoted parts, empty parts refused, siblings")
    func keyPaths() throws {
        #expect(try ConfigKeyPath("tool.\"black.config\".x").segments == [.name("tool"), .name("black.config"), .name("x")])
        #expect(throws: ConfigKeyPathError.self) { try ConfigKeyPath("env..X") }
        #expect(throws: ConfigKeyPathError.self) { try ConfigKeyPath("env.\"X") }
        #expect(try ConfigKeyPath("services.*.environment.SUPABASE_URL").sibling("SUPABASE_JWT_SECRET")?.description
                == "services.*.environment.SUPABASE_JWT_SECRET")
    }

    @Test("deploy-time placeholders are recognised, with their defaults", arguments: [
        ("${{ secrets.DATA_REGION }}", true, nil), ("${DATA_REGION}", true, nil), ("${DATA_REGION:-canada-central}", true, "canada-central"),
        ("${DATA_REGION-ca-central-1}", true, "ca-central-1"), ("$DATA_REGION", true, nil), ("{{ .Values.region }}", true, nil),
        ("postgres://u:${DB_PASSWORD}@db/x", true, nil), ("canada-central", false, nil), ("pa$$word", false, nil), ("$", false, nil),
    ] as [(String, Bool, String?)])
    func placeholders(_ text: String, _ isPlaceholder: Bool, _ fallback: String?) {
        let placeholder = DeployPlaceholder(text)
        #expect((placeholder != nil) == isPlaceholder)
        #expect(placeholder?.fallback == fallback)
    }
}
