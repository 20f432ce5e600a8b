import Testing
@testable import ConfigFiles

struct PythonSettingsTests {
    /// name = value @ line:column, for comparing.
    private func read(_ text: String) -> [String] {
        PythonSettings.parse(text).map { "\($0.name) = \($0.value.text) (\($0.value.kind.rawValue)) @ \($0.line):\($0.column)" }
    }

    @Test("pydantic settings fields: the variable each reads and its literal default, where it is written")
    func pydanticFields() {
        let text = """
            from typing import Optional, List
            from pydantic import Field
            from pydantic_settings import BaseSettings, SettingsConfigDict

            REGION_NOTE = "not a setting"


            class Settings(BaseSettings):
                \"\"\"
                Settings (see the runbook): defaults apply where the environment sets nothing.
                data_region: documented here = not a field
                \"\"\"

                app_name: str = Field(default="NestSync API", env="APP_NAME")
                data_region: str = Field(default="canada-central", env="DATA_REGION")
                timezone: str = Field("America/Toronto", env="TZ")
                database_url: str = Field(..., env="DATABASE_URL")
                redis_password: Optional[str] = Field(default=None, env="REDIS_PASSWORD")
                supabase_url: str = Field(default="", env="SUPABASE_URL")
                data_retention_days: int = Field(default=2_555, env="DATA_RETENTION_DAYS")  # 7 years
                debug: bool = False
                ratio: float = 0.5
                cors_origins: List[str] = Field(
                    default=["http://localhost:3000"],
                    env="CORS_ORIGINS"
                )
                consent_version: str = Field(
                    default="1.0",
                    validation_alias="CONSENT_VERSION_V2",
                )
                brands: List[str] = Field(default_factory=list)
                secret_key: str

                def region_is_canadian(self) -> bool:
                    local: str = "us-east-1"
                    return self.data_region.startswith("ca")

                class Config:
                    env_file = ".env"


            settings = Settings()
            """
        #expect(read(text) == [
            "APP_NAME = NestSync API (string) @ 14:35",
            "DATA_REGION = canada-central (string) @ 15:38",
            "TZ = America/Toronto (string) @ 16:27",
            "DATA_RETENTION_DAYS = 2555 (integer) @ 20:46",
            "DEBUG = false (boolean) @ 21:19",
            "RATIO = 0.5 (float) @ 22:20",
            "CONSENT_VERSION_V2 = 1.0 (string) @ 28:17",
        ])
    }

    @Test("env_prefix applies to fields named by their attribute, in a Config class or in model_config")
    func envPrefix() {
        let v1 = "class Settings(BaseSettings):\n    region: str = 'ca-central-1'\n\n    class Config:\n        env_prefix = 'NESTSYNC_'\n"
        #expect(read(v1) == ["NESTSYNC_REGION = ca-central-1 (string) @ 2:19"])
        let v2 = "class Settings(BaseSettings):\n    model_config = SettingsConfigDict(env_prefix=\"APP_\", env_file=\".env\")\n    region: str = \"ca-west-1\"\n    tz: str = Field(\"UTC\", alias=\"TZ\")\n"
        #expect(read(v2) == ["APP_REGION = ca-west-1 (string) @ 3:19", "TZ = UTC (string) @ 4:21"])
        // A class that is not a BaseSettings declares nothing.
        #expect(read("class Child(Base):\n    name: str = 'x'\n").isEmpty)
    }

    @Test("reads of the environment with a literal default, anywhere in the file")
    func environmentReads() {
        let text = """
            import os
            from os import getenv, environ

            DATA_REGION = os.getenv("DATA_REGION", "ca-central-1")
            TZ = os.environ.get('TZ', 'America/Toronto')
            RETENTION = int(getenv("DATA_RETENTION_DAYS", "2555"))
            DEBUG = environ.get("DEBUG", False)
            SECRET = os.environ["SECRET_KEY"]
            URL = os.getenv("SUPABASE_URL")
            NAME = os.getenv("APP_NAME", f"nestsync-{DATA_REGION}")
            WORKERS = os.getenv(
                "WORKERS",
                4,
            )
            # os.getenv("COMMENTED", "x")
            JWT = os.getenv("SUPABASE_JWT_SECRET", "")
            """
        #expect(read(text) == [
            "DATA_REGION = ca-central-1 (string) @ 4:40",
            "TZ = America/Toronto (string) @ 5:27",
            "DATA_RETENTION_DAYS = 2555 (string) @ 6:47",
            "DEBUG = false (boolean) @ 7:30",
            "WORKERS = 4 (integer) @ 13:5",
        ])
    }

    @Test("Windows line ends and a file without settings")
    func lineEnds() {
        #expect(read("class S(BaseSettings):\r\n    tz: str = \"America/Toronto\"\r\n") == ["TZ = America/Toronto (string) @ 2:15"])
        #expect(read("def main():\n    print('(unclosed')\n").isEmpty)
        #expect(read("").isEmpty)
    }
}
