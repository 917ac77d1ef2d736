import Foundation
import SkyEngine
import Testing

/// Credentials of clouds without a backend in this build, where their own tools put them
/// (reference 9): found / missing / malformed, said exactly; a secret never printed.
@Suite struct CheckCredentialFilesTests {
    /// Secret values written into the credential files below.
    static let secrets = [
        "AKIAFAKEKEYID0001", "wJalrXUtnFEMIfakeSECRETkey",
        "-----BEGIN PRIVATE KEY-----MIIfakeGCPkey",
        "gcp-refresh-SECRET-77", "azure-access-SECRET-token", "azure-refresh-SECRET-token",
        "lambda-SECRET-key-123", "runpod-SECRET-key-456",
    ]

    func home(_ fx: PluginFixture, _ files: [String: String]) throws -> [String: String] {
        for (relative, text) in files {
            let path = fx.root + "/home/" + relative
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent,
                withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        return [
            "HOME": fx.root + "/home", "SKY_HOME": fx.root + "/sky", "PATH": "/usr/bin:/bin",
            "SKY_PLUGIN_PATH": fx.root + "/bin", "SKY_DISABLE_PLUGINS": "1",
        ]
    }

    static let present: [String: String] = [
        ".aws/credentials":
            "[default]\naws_access_key_id = \(secrets[0])\naws_secret_access_key = \(secrets[1])\n",
        ".config/gcloud/application_default_credentials.json":
            #"{"type":"service_account","project_id":"proj-1","client_email":"sa@proj-1.iam.gserviceaccount.com","private_key":"\#(secrets[2])"}"#,
        ".azure/msal_token_cache.json":
            #"{"AccessToken":{"k":{"secret":"\#(secrets[4])"}},"RefreshToken":{"r":{"secret":"\#(secrets[5])"}}}"#,
        ".azure/azureProfile.json":
            "\u{FEFF}" + #"{"subscriptions":[{"id":"sub-1","name":"Research","isDefault":true}]}"#,
        ".lambda_cloud/lambda_keys": "api_key = \(secrets[6])\n",
        ".runpod/config.toml": "[default]\napi_key = \"\(secrets[7])\"\n",
    ]

    @Test func presentCredentialsAreFoundNamedAndNotVerified() async throws {
        let fx = try PluginFixture(tag: "credok")
        defer { fx.cleanUp() }
        let env = try home(fx, Self.present)
        let outcomes = try await SkyEngine(home: fx.root + "/sky", environment: env).check()
        let by = Dictionary(uniqueKeysWithValues: outcomes.map { ($0.backend, $0.reason ?? "") })
        #expect(
            by["aws"]?.contains(
                "credentials found (profile [default] in \(fx.root)/home/.aws/credentials)") == true
        )
        #expect(by["gcp"]?.contains("service_account") == true)
        #expect(by["gcp"]?.contains("sa@proj-1.iam.gserviceaccount.com, project proj-1") == true)
        #expect(by["azure"]?.contains("subscription 'Research'") == true)
        #expect(
            by["lambda"]?.contains("api_key in \(fx.root)/home/.lambda_cloud/lambda_keys") == true)
        #expect(by["runpod"]?.contains("profile [default]") == true)
        for backend in ["aws", "gcp", "azure", "lambda", "runpod"] {
            #expect(
                by[backend]?.contains("not verified: no backend is registered for it in this build")
                    == true, "\(backend)")
        }
        // Not enabled: nothing in this build can launch there.
        #expect(outcomes.filter(\.isEnabled).isEmpty)
    }

    @Test func malformedAndPartialCredentialsSayWhatIsWrong() async throws {
        let fx = try PluginFixture(tag: "credbad")
        defer { fx.cleanUp() }
        let env = try home(
            fx,
            [
                ".aws/credentials": "[default]\n\(Self.secrets[1])\n",
                ".config/gcloud/application_default_credentials.json":
                    #"{"type":"authorized_user","client_id":"x","client_secret":"\#(Self.secrets[3])"}"#,
                ".azure/msal_token_cache.json":
                    #"{"AccessToken":{"k":{"secret":"\#(Self.secrets[4])"}}}"#,
                ".runpod/config.toml": "[other]\napi_key = \"\(Self.secrets[7])\"\n",
            ])
        let outcomes = try await SkyEngine(home: fx.root + "/sky", environment: env).check()
        let by = Dictionary(uniqueKeysWithValues: outcomes.map { ($0.backend, $0.reason ?? "") })
        #expect(
            by["aws"]?.contains("is malformed: line 2 is neither [section] nor key = value") == true
        )
        #expect(by["gcp"]?.contains("(authorized_user) is missing refresh_token") == true)
        #expect(by["azure"]?.contains("names no default subscription") == true)
        #expect(by["runpod"]?.contains("has no api_key in profile [default]") == true)
        #expect(
            by["lambda"]?.contains(
                "Lambda credentials are not set (no \(fx.root)/home/.lambda_cloud/lambda_keys)")
                == true)
        let text = CheckRenderer.text(outcomes, verbose: true)
        for secret in Self.secrets { #expect(!text.contains(secret), "\(secret) printed") }
    }

    @Test func gcloudLoginWithoutApplicationDefaultCredentialsIsNamed() async throws {
        let fx = try PluginFixture(tag: "credgc")
        defer { fx.cleanUp() }
        let env = try home(fx, [".config/gcloud/credentials.db": "sqlite"])
        let outcomes = try await SkyEngine(home: fx.root + "/sky", environment: env).check(infra: [
            "gcp"
        ])
        #expect(outcomes.first?.reason?.contains("gcloud is logged in") == true)
        #expect(outcomes.first?.hint == "Run 'gcloud auth application-default login'.")
    }

    /// The real CLI: neither the text nor `-o json` output carries a secret value.
    @Test(
        .enabled(
            if: FileManager.default.isExecutableFile(atPath: SkyBinary.path),
            "swift build --product sky first"))
    func theCLINeverPrintsASecretInTextOrJSON() throws {
        let fx = try PluginFixture(tag: "credcli")
        defer { fx.cleanUp() }
        var env = try home(fx, Self.present)
        env["AWS_SESSION_TOKEN"] = "aws-session-SECRET-token"
        for arguments in [
            ["check"], ["check", "-v"], ["check", "-o", "json"],
            ["check", "aws", "gcp", "-o", "json"],
        ] {
            let result = try SkyBinary.run(arguments, environment: env, in: fx.root)
            #expect(result.status == 0, "\(arguments): \(result.all)")
            for secret in Self.secrets + ["aws-session-SECRET-token"] {
                #expect(
                    !result.all.contains(secret),
                    "sky \(arguments.joined(separator: " ")) printed \(secret)")
            }
            if arguments.contains("json") {
                #expect(result.stdout.hasPrefix("{\n  \"default\": {"), "\(result.stdout)")
            } else {
                #expect(result.stdout.contains("  AWS: disabled\n"))
                #expect(result.stdout.contains("credentials found (profile [default]"))
            }
        }
    }
}
