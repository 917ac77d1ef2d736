import Foundation
import SkyEngine
import SkyProvision
import SkyState
import Testing

@Suite struct CheckTests {
    func engine(_ fx: PluginFixture, _ extra: [String: String] = [:]) -> SkyEngine {
        var env: [String: String] = [
            "HOME": fx.root + "/home", "SKY_HOME": fx.root + "/sky", "PATH": "/usr/bin:/bin",
            "SKY_PLUGIN_PATH": fx.root + "/bin",
        ]
        for (key, value) in extra { env[key] = value }
        return SkyEngine(home: fx.root + "/sky", environment: env)
    }

    func write(_ fx: PluginFixture, _ relative: String, _ text: String) throws {
        let path = fx.root + "/home/" + relative
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test func credentialsPresentAbsentAndMalformedNeverPrintingSecrets() async throws {
        let fx = try PluginFixture(tag: "creds")
        defer { fx.cleanUp() }
        try write(
            fx, ".aws/credentials",
            "[default]\naws_access_key_id = AKIASECRETID\naws_secret_access_key = TOPSECRETVALUE\n")
        try write(fx, ".config/gcloud/application_default_credentials.json", "{not json")
        try write(fx, ".lambda_cloud/lambda_keys", "# no key here\n")
        try write(fx, ".runpod/config.toml", "[default]\napi_key = \"RPSECRET\"\n")
        let outcomes = try await engine(fx).check()
        let by = Dictionary(uniqueKeysWithValues: outcomes.map { ($0.backend, $0) })
        #expect(by["aws"]?.reason?.contains("credentials found (profile [default]") == true)
        #expect(by["aws"]?.reason?.contains("no backend is registered") == true)
        #expect(by["gcp"]?.reason?.contains("is not valid JSON") == true)
        #expect(by["azure"]?.reason?.contains("no ") == true)
        #expect(by["azure"]?.reason?.contains("msal_token_cache.json") == true)
        #expect(by["lambda"]?.reason?.contains("has no 'api_key = ...' line") == true)
        #expect(by["runpod"]?.reason?.contains("credentials found") == true)
        #expect(outcomes.allSatisfy { !$0.isEnabled })
        let text = CheckRenderer.text(outcomes, verbose: true)
        for secret in ["AKIASECRETID", "TOPSECRETVALUE", "RPSECRET"] {
            #expect(!text.contains(secret))
        }
        #expect(text.contains("  AWS: disabled\n    Hint [compute]: "))
        #expect(text.contains("🎉 Enabled infra 🎉\n  No infra to check/enabled."))
        #expect(CheckRenderer.json(outcomes, workspace: "default") == "{\n  \"default\": {}\n}")
    }

    @Test func awsProfileMissingTheSecretIsNamed() async throws {
        let fx = try PluginFixture(tag: "awsbad")
        defer { fx.cleanUp() }
        try write(fx, ".aws/credentials", "[default]\naws_access_key_id = AKIAX\n")
        let outcomes = try await engine(fx).check(infra: ["aws"])
        #expect(outcomes.count == 1)
        #expect(outcomes[0].reason?.contains("is missing aws_secret_access_key") == true)
        let env = try await engine(fx, ["AWS_ACCESS_KEY_ID": "AKIAX"]).check(infra: ["aws"])
        #expect(env[0].reason?.contains("only AWS_ACCESS_KEY_ID is") == true)
    }

    @Test func aPluginIsEnabledCachedAndShownInJSON() async throws {
        let fx = try PluginFixture(tag: "plug")
        defer { fx.cleanUp() }
        try fx.python(
            "acme", methods: #"reply({"enabled": True, "reason": "token ok"})"#)
        let outcomes = try await engine(fx).check()
        #expect(outcomes.first { $0.backend == "acme" }?.isEnabled == true)
        let json = CheckRenderer.json(outcomes, workspace: "default")
        #expect(json.contains("\"acme\": [\n      \"compute\"\n    ]"))
        let enabled = try await SQLiteStateStore(home: fx.root + "/sky").enabledClouds()
        #expect(enabled == ["acme"])
    }

    @Test func aPluginsOwnHintIsShownElseSkyPluginsList() async throws {
        let fx = try PluginFixture(tag: "hint")
        defer { fx.cleanUp() }
        try fx.python(
            "acme",
            methods:
                #"reply({"enabled": False, "reason": "no token", "hint": "Run 'acme login'."})"#)
        try fx.python("beta", methods: #"reply({"enabled": False, "reason": "no token"})"#)
        let outcomes = try await engine(fx).check(infra: ["acme", "beta"])
        let by = Dictionary(uniqueKeysWithValues: outcomes.map { ($0.backend, $0) })
        #expect(by["acme"]?.hint == "Run 'acme login'.")
        #expect(by["beta"]?.hint?.contains("'sky plugins list'") == true)
        let text = CheckRenderer.text(outcomes, verbose: false)
        #expect(text.contains("    Hint [compute]: Run 'acme login'."), "\(text)")
    }

    @Test func aMultiLineReasonBecomesATree() async throws {
        let fx = try PluginFixture(tag: "tree")
        defer { fx.cleanUp() }
        try fx.python(
            "acme",
            methods:
                #"reply({"enabled": True, "reason": "1 of 2 regions usable\nlab: enabled.\nedge: disabled. Reason: no hosts"})"#
        )
        let outcomes = try await engine(fx).check(infra: ["acme"])
        let acme = try #require(outcomes.first)
        #expect(acme.reason == "1 of 2 regions usable")
        #expect(acme.tree == ["lab: enabled.", "edge: disabled. Reason: no hosts"])
        let text = CheckRenderer.text(outcomes, verbose: false)
        #expect(
            text.contains(
                "  acme: enabled [compute]\n    Details:\n    ├── lab: enabled.\n    └── edge: disabled. Reason: no hosts"
            ))
        #expect(text.contains("  acme [compute]\n    Details:\n    └── lab\n"))
        let cached = try await SQLiteStateStore(home: fx.root + "/sky").checkResults(
            workspace: "default")
        #expect(cached.first { $0.backend == "acme" }?.details?.contains("edge: disabled.") == true)
    }

    @Test func oneHangingProbeDoesNotDelayTheOthers() async throws {
        let fx = try PluginFixture(tag: "hangchk")
        defer { fx.cleanUp() }
        try fx.python("slow", methods: "time.sleep(60)")
        try fx.python("quick", methods: #"reply({"enabled": True})"#)
        // No timed assertion: the hanging probe must end at its own deadline (its reason says
        // so) while the quick one still answers; a generous deadline keeps this stable when CI
        // runs many tests at once.
        let outcomes = try await engine(fx, ["SKY_CHECK_TIMEOUT": "8"]).check()
        let slow = outcomes.first { $0.backend == "slow" }
        #expect(slow?.isEnabled == false)
        #expect(slow?.reason?.contains("did not finish within 8 s") == true)
        #expect(outcomes.first { $0.backend == "quick" }?.isEnabled == true)
    }

    @Test func unknownInfraIsRefused() async throws {
        let fx = try PluginFixture(tag: "unk")
        defer { fx.cleanUp() }
        await #expect(throws: (any Error).self) {
            _ = try await engine(fx).check(infra: ["nowhere"])
        }
    }
}

@Suite struct PluginDiscoveryTests {
    @Test func shadowingBuiltinsAndMissingRunBit() throws {
        let fx = try PluginFixture(tag: "disc")
        defer { fx.cleanUp() }
        try fx.script("acme", "#!/bin/sh\n", dir: "first")
        try fx.script("acme", "#!/bin/sh\n", dir: "second")
        try fx.script("ssh", "#!/bin/sh\n", dir: "first")
        try fx.script("lazy", "#!/bin/sh\n", executable: false, dir: "first")
        try fx.script("lazy", "#!/bin/sh\n", dir: "second")
        let discovery = PluginDiscovery(
            environment: [
                "SKY_PLUGIN_PATH": fx.root + "/first:" + fx.root + "/second", "PATH": "",
            ],
            skyHome: fx.root + "/sky", builtins: SkyEngine.reservedBackendNames)
        let all = discovery.scan()
        let first = fx.root + "/first/sky-provisioner-"
        let second = fx.root + "/second/sky-provisioner-"
        #expect(all.first { $0.path == second + "acme" }?.problem == "shadowed by \(first)acme")
        #expect(all.first { $0.path == first + "ssh" }?.problem?.contains("built-in") == true)
        #expect(all.first { $0.path == first + "lazy" }?.problem?.contains("chmod +x") == true)
        #expect(discovery.active().map(\.path) == [first + "acme", second + "lazy"])
    }
}

@Suite struct CheckAllowedCloudsTests {
    @Test func allowedCloudsDisablesOtherBackends() async throws {
        let fx = try PluginFixture(tag: "allowed")
        defer { fx.cleanUp() }
        try fx.python("acme", methods: #"reply({"enabled": True})"#)
        try fx.python("beta", methods: #"reply({"enabled": True})"#)
        try "allowed_clouds:\n  - acme\n".write(
            toFile: fx.root + "/sky/config.yaml", atomically: true, encoding: .utf8)
        let engine = SkyEngine(
            home: fx.root + "/sky",
            environment: [
                "HOME": fx.root + "/home", "PATH": "/usr/bin:/bin",
                "SKY_PLUGIN_PATH": fx.root + "/bin",
            ])
        let outcomes = try await engine.check()
        #expect(outcomes.filter(\.isEnabled).map(\.backend) == ["acme"])
        #expect(outcomes.first { $0.backend == "beta" }?.reason?.contains("allowed_clouds") == true)
    }
}

/// Broken plugins (crash, garbage, unknown version, no run bit, a built-in's name) never break
/// `sky check` nor take a built-in's place; each is named.
@Suite struct CheckBrokenPluginsTests {
    @Test func brokenPluginsAreNamedAndTheOthersStillAnswer() async throws {
        let fx = try PluginFixture(tag: "broken")
        defer { fx.cleanUp() }
        try fx.script("crashy", "#!/bin/sh\necho 'cannot start' >&2\nexit 3\n")
        try fx.script("noisy", "#!/bin/sh\necho 'Loading...'\nsleep 5\n")
        try fx.python("future", handshakeVersion: 2, methods: #"reply({"enabled": True})"#)
        try fx.python("lazy", methods: #"reply({"enabled": True})"#)
        try FileManager.default.setAttributes(
            [.posixPermissions: 0o644], ofItemAtPath: fx.root + "/bin/sky-provisioner-lazy")
        try fx.python("ssh", methods: #"reply({"enabled": True, "reason": "SHADOW PLUGIN"})"#)
        try fx.python("good", methods: #"reply({"enabled": True, "reason": "fine"})"#)
        let engine = SkyEngine(
            home: fx.root + "/sky",
            environment: [
                "HOME": fx.root + "/home", "PATH": "/usr/bin:/bin",
                "SKY_PLUGIN_PATH": fx.root + "/bin",
            ])
        let outcomes = try await engine.check()
        let by = Dictionary(uniqueKeysWithValues: outcomes.map { ($0.backend, $0) })
        #expect(by["good"]?.isEnabled == true)
        for name in ["crashy", "noisy", "future"] {
            #expect(by[name]?.isEnabled == false, "\(name)")
            #expect(
                by[name]?.reason?.contains(
                    "sky-provisioner-\(name) did not start or failed its handshake") == true,
                "\(name)")
        }
        #expect(by["lazy"] == nil)  // not executable: never started ('sky plugins list' says so)
        // The built-in SSH backend answered, not the plugin named ssh.
        #expect(by["ssh"]?.reason?.contains("SHADOW") == false)
        #expect(by["ssh"]?.reason?.contains("ssh_node_pools.yaml") == true)
    }
}
