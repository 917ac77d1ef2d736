import Foundation
import SkyCore
import Testing

/// The layered SkyPilot config: files found as SkyPilot's client finds them, merged with its
/// rules, validated with errors that name the file, the key path and the line.
@Suite struct SkyConfigTests {
    /// A temporary `$SKY_HOME` and project directory.
    struct Dirs {
        let root: String
        var home: String { root + "/home" }
        var project: String { root + "/project" }

        init() throws {
            root = NSTemporaryDirectory() + "skyconfig-" + UUID().uuidString
            for dir in [root + "/home", root + "/project"] {
                try FileManager.default.createDirectory(
                    atPath: dir, withIntermediateDirectories: true)
            }
        }

        func write(_ text: String, _ path: String) throws {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }

        func remove() { try? FileManager.default.removeItem(atPath: root) }
    }

    @Test func userProjectAndTaskLayersMergeWithSkyPilotsRules() throws {
        let dirs = try Dirs()
        defer { dirs.remove() }
        try dirs.write(
            """
            allowed_clouds: [aws, kubernetes]
            kubernetes:
              allowed_contexts: [context1, context2]
              provision_timeout: 600
              pod_config:
                spec:
                  tolerations:
                    - key: user
            aws:
              labels:
                map-migrated: my-value
                Owner: user-unique-name
            """, dirs.home + "/config.yaml")
        try dirs.write(
            """
            kubernetes:
              allowed_contexts: [context3, context4]
              provision_timeout: 300
              pod_config:
                spec:
                  tolerations:
                    - key: project
            aws:
              labels:
                Owner: project-unique-name
            """, dirs.project + "/.sky.yaml")
        let config = try SkyConfigLoader.load(
            environment: [:], home: dirs.home, currentDirectory: dirs.project)
        #expect(config.sources == [dirs.home + "/config.yaml", dirs.project + "/.sky.yaml"])
        // Lists are replaced, mappings merged key by key (SkyPilot's docs example).
        #expect(
            config[dotted: "kubernetes.allowed_contexts"]
                == .array([.string("context3"), .string("context4")]))
        #expect(config[dotted: "kubernetes.provision_timeout"] == .int(300))
        #expect(config[dotted: "aws.labels.map-migrated"] == .string("my-value"))
        #expect(config[dotted: "aws.labels.Owner"] == .string("project-unique-name"))
        #expect(
            config[dotted: "allowed_clouds"] == .array([.string("aws"), .string("kubernetes")]))
        // Lists inside kubernetes.pod_config are appended.
        #expect(
            config[dotted: "kubernetes.pod_config.spec.tolerations"]
                == .array([
                    .object([("key", .string("user"))]), .object([("key", .string("project"))]),
                ]))

        // The task's config wins over both.
        let task = JSONValue.object([
            ("kubernetes", .object([("provision_timeout", .int(30))])),
            ("hooks", .array([])),
        ])
        let withTask = try config.overlaid(task: task)
        #expect(withTask[dotted: "kubernetes.provision_timeout"] == .int(30))
        #expect(
            withTask[dotted: "kubernetes.allowed_contexts"]
                == .array([.string("context3"), .string("context4")]))
        #expect(withTask[dotted: "hooks"] == nil)
        #expect(
            withTask.origin(of: ["kubernetes", "provision_timeout"])?.source
                == "the task's config section")
        let origin = try #require(withTask.origin(of: ["aws", "labels", "map-migrated"]))
        #expect(origin.source == dirs.home + "/config.yaml")
        #expect(origin.line == 11)
    }

    @Test func environmentVariablesChooseTheFiles() throws {
        let dirs = try Dirs()
        defer { dirs.remove() }
        try dirs.write("kubernetes:\n  namespace: user\n", dirs.home + "/config.yaml")
        try dirs.write("kubernetes:\n  namespace: project\n", dirs.project + "/.sky.yaml")
        try dirs.write("kubernetes:\n  namespace: internal\n", dirs.root + "/internal.yaml")
        try dirs.write("kubernetes:\n  ports: podip\n", dirs.root + "/global.yaml")
        try dirs.write("kubernetes:\n  ports: ingress\n", dirs.root + "/other-project.yaml")

        func load(_ env: [String: String]) throws -> SkyConfig {
            try SkyConfigLoader.load(
                environment: env, home: dirs.home, currentDirectory: dirs.project)
        }
        #expect(try load([:])[dotted: "kubernetes.namespace"] == .string("project"))
        // SKYPILOT_CONFIG: that file alone, not even the project config.
        let only = try load(["SKYPILOT_CONFIG": dirs.root + "/internal.yaml"])
        #expect(only.sources == [dirs.root + "/internal.yaml"])
        #expect(only[dotted: "kubernetes.namespace"] == .string("internal"))
        // SKYPILOT_GLOBAL_CONFIG replaces the user file; the project file still applies.
        let global = try load(["SKYPILOT_GLOBAL_CONFIG": dirs.root + "/global.yaml"])
        #expect(global.sources == [dirs.root + "/global.yaml", dirs.project + "/.sky.yaml"])
        #expect(global[dotted: "kubernetes.ports"] == .string("podip"))
        #expect(global[dotted: "kubernetes.namespace"] == .string("project"))
        let project = try load(["SKYPILOT_PROJECT_CONFIG": dirs.root + "/other-project.yaml"])
        #expect(project[dotted: "kubernetes.namespace"] == .string("user"))
        #expect(project[dotted: "kubernetes.ports"] == .string("ingress"))
        // `~` expands with the caller's HOME.
        let tilde = try load(["SKYPILOT_CONFIG": "~/internal.yaml", "HOME": dirs.root])
        #expect(tilde.sources == [dirs.root + "/internal.yaml"])

        // A file named by a variable must exist; the error names both.
        do throws(SkyConfigError) {
            _ = try SkyConfigLoader.load(
                environment: ["SKYPILOT_CONFIG": dirs.root + "/none.yaml"], home: dirs.home)
            Issue.record("a missing SKYPILOT_CONFIG file was accepted")
        } catch {
            #expect(
                error == .missingFile(variable: "SKYPILOT_CONFIG", path: dirs.root + "/none.yaml"))
            #expect(
                error.description.contains(
                    "SKYPILOT_CONFIG (\(dirs.root)/none.yaml) does not exist"))
        }
        // No files at all: an empty config.
        let empty = try SkyConfigLoader.load(
            environment: [:], home: dirs.root + "/nowhere", currentDirectory: dirs.root)
        #expect(empty.isEmpty)
    }

    @Test func errorsNameTheFileTheKeyPathAndTheLine() throws {
        let cases: [(String, String, Int)] = [
            (
                "allowed_clouds: [aws]\nkubernetes:\n  provision_timeout: 10\n  namespace: Team_A\n",
                "kubernetes.namespace", 4
            ),
            ("allowed_clouds:\n  - aws\n  - 3\n", "allowed_clouds[1]", 3),
            ("kubernetes:\n  ports: ingres\n", "kubernetes.ports", 2),
            (
                "kubernetes:\n  context_configs:\n    kind-a:\n      namespace: 5\n",
                "kubernetes.context_configs.kind-a.namespace", 4
            ),
            ("kubernetes:\n  allowed_contexts: kind-a\n", "kubernetes.allowed_contexts", 2),
            (
                "workspaces:\n  team:\n    kubernetes:\n      provision_timeout: soon\n",
                "workspaces.team.kubernetes.provision_timeout", 4
            ),
        ]
        for (text, keyPath, line) in cases {
            do throws(SkyConfigError) {
                _ = try SkyConfig.parse(text, source: "/x/config.yaml")
                Issue.record("accepted: \(text)")
            } catch {
                #expect(error.file == "/x/config.yaml")
                #expect(error.line == line, "\(error)")
                #expect(
                    error.description.contains("/x/config.yaml, line \(line): \(keyPath) "),
                    "\(error)")
            }
        }
        // YAML syntax errors and a non-mapping top level carry the line too.
        do throws(SkyConfigError) {
            _ = try SkyConfig.parse("kubernetes:\n  namespace: a\n   bad: [\n", source: "/x/c.yaml")
            Issue.record("accepted invalid YAML")
        } catch {
            guard case .syntax(let file, let line, _) = error else {
                Issue.record("not a syntax error: \(error)")
                return
            }
            #expect(file == "/x/c.yaml")
            #expect(line != nil)
        }
        #expect(throws: SkyConfigError.self) {
            try SkyConfig.parse("- a\n- b\n", source: "/x/c.yaml")
        }
        // A task's section is checked the same way (no line: it has no file of its own).
        let task = JSONValue.object([("kubernetes", .object([("ports", .string("nope"))]))])
        do throws(SkyConfigError) {
            _ = try SkyConfig.empty.overlaid(task: task)
            Issue.record("accepted a bad task config")
        } catch {
            #expect(
                error.description.contains(
                    "the task's config section: kubernetes.ports must be one of"))
        }
    }

    @Test func listsInFlowAndBlockStyleAndAbsentKeys() throws {
        let flow = try SkyConfig.parse("allowed_clouds: [gcp, 'azure']\n", source: "f")
        #expect(flow[dotted: "allowed_clouds"] == .array([.string("gcp"), .string("azure")]))
        let block = try SkyConfig.parse(
            "jobs:\n  x: 1\nallowed_clouds:\n  - gcp  # main\n  - lambda\nkubernetes:\n  allowed_contexts:\n    - kind-a   # first\n    - \"gke-b\"\n  ports: podip\nslurm:\n  allowed_contexts:\n    - not-this\n",
            source: "b")
        #expect(block[dotted: "allowed_clouds"] == .array([.string("gcp"), .string("lambda")]))
        #expect(
            block[dotted: "kubernetes.allowed_contexts"]
                == .array([.string("kind-a"), .string("gke-b")]))
        #expect(try SkyConfig.parse("jobs: {}\n", source: "j")[dotted: "allowed_clouds"] == nil)
        #expect(try SkyConfig.parse("", source: "e").isEmpty)
        #expect(try SkyConfig.parse("# only a comment\n", source: "e").isEmpty)
    }

    @Test func effectiveValuesPreferWorkspaceThenContextThenCloudWide() throws {
        let config = try SkyConfig.parse(
            """
            active_workspace: ml
            kubernetes:
              namespace: top
              context_configs:
                ctx-a:
                  namespace: top-a
            workspaces:
              ml:
                kubernetes:
                  context_configs:
                    ctx-b:
                      namespace: ml-b
              other:
                kubernetes:
                  namespace: other
            """, source: "w")
        #expect(
            config.effective(cloud: "kubernetes", keys: ["namespace"], region: "ctx-a")
                == .string("top-a"))
        #expect(
            config.effective(cloud: "kubernetes", keys: ["namespace"], region: "ctx-b")
                == .string("ml-b"))
        #expect(
            config.effective(cloud: "kubernetes", keys: ["namespace"], region: "ctx-c")
                == .string("top"))
        #expect(config.effective(cloud: "kubernetes", keys: ["namespace"]) == .string("top"))
        #expect(config.effective(cloud: "kubernetes", keys: ["ports"], region: "ctx-a") == nil)
        let noWorkspace = try SkyConfig.parse("kubernetes:\n  namespace: n\n", source: "n")
        #expect(noWorkspace.activeWorkspace == "default")
    }

    @Test func aFileIsReadOnceUntilItChanges() throws {
        let dirs = try Dirs()
        defer { dirs.remove() }
        let path = dirs.home + "/config.yaml"
        try dirs.write("kubernetes:\n  namespace: one\n", path)
        let first = try SkyConfigLoader.file(path)
        #expect(first[dotted: "kubernetes.namespace"] == .string("one"))
        // Same size and time: the cached parse (rewriting with equal bytes changes nothing).
        #expect(try SkyConfigLoader.file(path)[dotted: "kubernetes.namespace"] == .string("one"))
        try dirs.write("kubernetes:\n  namespace: second\n", path)
        #expect(try SkyConfigLoader.file(path)[dotted: "kubernetes.namespace"] == .string("second"))
    }

    @Test func kubernetesMergeFollowsPatchMergeKeys() {
        let base = JSONValue.object([
            (
                "spec",
                .object([
                    (
                        "containers",
                        .array([.object([("name", .string("ray-node")), ("image", .string("a"))])])
                    ),
                    (
                        "volumes",
                        .array([.object([("name", .string("dshm")), ("emptyDir", .object([]))])])
                    ),
                    ("tolerations", .array([.object([("key", .string("x"))])])),
                ])
            )
        ])
        let override = JSONValue.object([
            (
                "spec",
                .object([
                    ("containers", .array([.object([("image", .string("b"))])])),
                    (
                        "volumes",
                        .array([
                            .object([
                                ("name", .string("dshm")),
                                ("emptyDir", .object([("medium", .string("Memory"))])),
                            ]),
                            .object([("name", .string("data"))]),
                        ])
                    ),
                    ("tolerations", .array([.object([("key", .string("y"))])])),
                ])
            )
        ])
        let merged = SkyConfig.mergeKubernetes(base, with: override)
        #expect(
            merged["spec"]?["containers"]
                == .array([.object([("name", .string("ray-node")), ("image", .string("b"))])]))
        #expect(
            merged["spec"]?["volumes"]
                == .array([
                    .object([
                        ("name", .string("dshm")),
                        ("emptyDir", .object([("medium", .string("Memory"))])),
                    ]),
                    .object([("name", .string("data"))]),
                ]))
        #expect(
            merged["spec"]?["tolerations"]
                == .array([.object([("key", .string("x"))]), .object([("key", .string("y"))])]))
    }

    @Test func commandLineDotlistFileAndWorkspace() throws {
        let dotlist = try SkyConfig.commandLine(
            [
                "kubernetes.provision_timeout=600,kubernetes.pod_config.spec.priorityClassName=high",
                "allowed_clouds=[aws, gcp]",
            ],
            workspace: "team")
        #expect(dotlist[dotted: "kubernetes.provision_timeout"] == .int(600))
        #expect(dotlist[dotted: "kubernetes.pod_config.spec.priorityClassName"] == .string("high"))
        #expect(dotlist[dotted: "allowed_clouds"] == .array([.string("aws"), .string("gcp")]))
        #expect(dotlist.activeWorkspace == "team")
        // It is the top layer: over a task's config.
        let layered = try SkyConfig.parse("kubernetes:\n  provision_timeout: 5\n", source: "u")
            .overlaid(task: .object([("kubernetes", .object([("provision_timeout", .int(30))]))]))
            .overlaid(dotlist)
        #expect(layered[dotted: "kubernetes.provision_timeout"] == .int(600))

        let dirs = try Dirs()
        defer { dirs.remove() }
        try dirs.write("kubernetes:\n  ports: podip\n", dirs.root + "/cli.yaml")
        #expect(
            try SkyConfig.commandLine([dirs.root + "/cli.yaml"])[dotted: "kubernetes.ports"]
                == .string("podip"))
        #expect(throws: SkyConfigError.self) {
            try SkyConfig.commandLine([dirs.root + "/cli.yaml", "a=b"])
        }
        #expect(throws: SkyConfigError.self) { try SkyConfig.commandLine(["kubernetes.ports"]) }
        do throws(SkyConfigError) {
            _ = try SkyConfig.commandLine(["kubernetes.ports=everywhere"])
            Issue.record("accepted a bad --config value")
        } catch {
            #expect(
                error.description.contains("the --config option: kubernetes.ports must be one of"))
        }
    }
}
