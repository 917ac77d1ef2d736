import Foundation
import SkyCore
import Testing

/// Loads YAML text as `task.yaml` from a scratch directory.
func loadTask(_ yaml: String, _ overrides: TaskOverrides = TaskOverrides()) throws(TaskError)
    -> TaskDocument
{
    try TaskLoader.load(
        yaml: yaml, fileName: "task.yaml", baseDirectory: "/tmp", overrides: overrides)
}

func loadError(_ yaml: String, _ overrides: TaskOverrides = TaskOverrides()) -> TaskError? {
    do {
        _ = try loadTask(yaml, overrides)
        return nil
    } catch {
        return error
    }
}

func single(_ yaml: String, _ overrides: TaskOverrides = TaskOverrides()) throws -> Task {
    let doc = try loadTask(yaml, overrides)
    guard case .task(let t) = doc else {
        throw TaskError(file: "task.yaml", message: "not a single task")
    }
    return t
}

struct ErrorPositionTests {
    @Test func badCPUsNamesFieldAndPosition() throws {
        let error = try #require(loadError("name: a\nresources:\n  cpus: 4++\n"))
        #expect(error.fieldPath == "resources.cpus")
        #expect(error.line == 3)
        #expect(error.column == 9)
        #expect(error.description.hasPrefix("task.yaml:3:9: resources.cpus: '4++' is not a number"))
    }

    @Test func unknownFieldSuggestsTheRightName() throws {
        let error = try #require(loadError("run: echo hi\nnmae: x\n"))
        #expect(error.fieldPath == "nmae")
        #expect(error.line == 2)
        #expect(error.column == 1)
        #expect(error.message.contains("did you mean 'name'"))
    }

    @Test func unknownNestedFieldInAnyOfCandidate() throws {
        let error = try #require(
            loadError("resources:\n  any_of:\n    - infra: aws\n    - cpu: 4\n"))
        #expect(error.fieldPath == "resources.any_of[1].cpu")
        #expect(error.line == 4)
    }

    @Test func duplicateKeysAreRejectedWithTheirLine() throws {
        let error = try #require(loadError("name: a\nrun: x\nname: b\n"))
        #expect(error.line == 3)
        #expect(error.message.contains("duplicate key 'name'"))
        // Raw text decides, as in SkyPilot: `1` and '1' are the same key.
        #expect(loadError("envs:\n  1: a\n  '1': b\n") != nil)
    }

    @Test func syntaxErrorsCarryAPosition() throws {
        let error = try #require(loadError("run: [unclosed\n"))
        #expect(error.line != nil)
        #expect(error.message.contains("invalid YAML"))
    }

    @Test func nonMappingDocumentsAreRejected() {
        #expect(loadError("just a string\n") != nil)
        #expect(loadError("- a\n- b\n") != nil)
        #expect(loadError("42\n") != nil)
        #expect(loadError("envs:\n") != nil)
        #expect(loadError("key: {{ jinja }}\n") != nil)
    }

    @Test func emptyFileIsAnEmptyTask() throws {
        let task = try single("")
        #expect(task.run == nil)
        #expect(task.numNodes == 1)
        #expect(task.resources.count == 1)
    }
}

struct YAML11Tests {
    @Test func scalarsFollowPyYAML() throws {
        let task = try single(
            """
            envs:
              A: yes
              B: 010
              C: 12:30
              D: 1e5
              E: 0x1f
              F: 1_000
              G: .5
              H: 2024-01-02
              I: off
              J: '010'
            """)
        let envs = Dictionary(uniqueKeysWithValues: task.envs.map { ($0.0, $0.1) })
        #expect(envs["A"] == "True")
        #expect(envs["B"] == "8")
        #expect(envs["C"] == "750")
        #expect(envs["D"] == "1e5")
        #expect(envs["E"] == "31")
        #expect(envs["F"] == "1000")
        #expect(envs["G"] == "0.5")
        #expect(envs["H"] == "2024-01-02")
        #expect(envs["I"] == "False")
        #expect(envs["J"] == "010")
    }

    @Test func booleanKeysBecomeTrue() throws {
        let task = try single("envs:\n  on: 1\n")
        #expect(task.envs.map(\.0) == ["True"])
    }

    @Test func mergeKeysAndAnchors() throws {
        let merged = try single(
            "envs: &e {A: '1'}\nresources:\n  labels:\n    <<: *e\n    B: '2'\n")
        #expect(merged.resources[0].labels == ["A": "1", "B": "2"])
    }
}

struct SubstitutionTests {
    @Test func commandLineWinsOverFileWinsOverYAML() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sky-env-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let envFile = dir.appendingPathComponent("vars.env")
        try "A=file\nB=file\n# comment\nexport C='quoted value'\n".write(
            to: envFile, atomically: true, encoding: .utf8)
        let yaml = """
            envs:
              A: yaml
              B: yaml
              D: yaml
            file_mounts:
              /data/$A: s3://bucket/${B}/$D
            run: echo $A
            """
        let overrides = TaskOverrides(env: ["A=cli"], envFiles: [envFile.path])
        let task = try single(yaml, overrides)
        let envs = Dictionary(uniqueKeysWithValues: task.envs.map { ($0.0, $0.1) })
        #expect(envs == ["A": "cli", "B": "file", "C": "quoted value", "D": "yaml"])
        // SkyPilot also loads --env-file values as secrets (lowest secret priority), and secrets
        // win in ${VAR} substitution: so $A is the file's value here, as in SkyPilot 0.14.1.
        #expect(task.secrets.map(\.0).sorted() == ["A", "B", "C"])
        #expect(task.fileMounts.map(\.0) == ["/data/file"])
        #expect(task.fileMounts.first?.1 == .uri("s3://bucket/file/yaml"))
        let cliOnly = try single(yaml, TaskOverrides(env: ["A=cli"]))
        #expect(cliOnly.fileMounts.map(\.0) == ["/data/cli"])
        // run is not substituted: it sees real environment variables.
        #expect(task.run == "echo $A")
    }

    @Test func envFromProcessEnvironment() throws {
        let yaml = "envs:\n  TOKEN: null\nrun: x\n"
        let task = try single(
            yaml, TaskOverrides(env: ["TOKEN"], processEnvironment: ["TOKEN": "abc"]))
        #expect(task.envs.first?.1 == "abc")
        let error = try #require(loadError(yaml, TaskOverrides(env: ["TOKEN"])))
        #expect(error.message.contains("not set in the local environment"))
    }

    @Test func requiredEnvsNameEveryMissingOne() throws {
        let error = try #require(loadError("envs:\n  A: null\n  B:\n  C: set\n"))
        #expect(error.message.contains("'A'"))
        #expect(error.message.contains("'B'"))
        #expect(!error.message.contains("'C'"))
        #expect(error.fieldPath == "envs.A")
        let task = try single("envs:\n  A: null\n  B:\n", TaskOverrides(env: ["A=1", "B="]))
        #expect(task.envs.map(\.1) == ["1", ""])
    }

    @Test func unknownVariablesStayAndNamesAreMaximal() throws {
        let task = try single("envs:\n  HOME_DIR: /h\n  X: x\nworkdir: $HOME_DIR/$XY/${X}\n")
        #expect(task.workdir == .path("/h/$XY/x"))
    }

    @Test func secretsAreSubstitutedButRedactedInOutput() throws {
        let yaml = "secrets:\n  TOKEN: s3cr3t-value\nfile_mounts:\n  /m: s3://b/$TOKEN\n"
        let task = try single(yaml)
        #expect(task.secrets.first?.1 == "s3cr3t-value")
        let text = task.yamlConfig().encoded()
        #expect(text.contains("<redacted>"))
        #expect(!text.contains("\"TOKEN\":\"s3cr3t-value\""))
        #expect(
            task.yamlConfig(redactSecrets: false)["secrets"]?["TOKEN"] == .string("s3cr3t-value"))
    }

    @Test func secretPrecedence() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sky-sec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let envFile = dir.appendingPathComponent("e.env")
        let secretFile = dir.appendingPathComponent("s.env")
        try "S1=envfile\nS2=envfile\nS3=envfile\n".write(
            to: envFile, atomically: true, encoding: .utf8)
        try "S2=secretfile\nS3=secretfile\n".write(
            to: secretFile, atomically: true, encoding: .utf8)
        let task = try single(
            "secrets:\n  S4: yaml\n",
            TaskOverrides(
                envFiles: [envFile.path], secret: ["S3=cli"], secretFiles: [secretFile.path]))
        let secrets = Dictionary(uniqueKeysWithValues: task.secrets.map { ($0.0, $0.1) })
        #expect(secrets == ["S1": "envfile", "S2": "secretfile", "S3": "cli", "S4": "yaml"])
    }

    @Test func quoteInSubstitutedValueIsRejected() {
        #expect(loadError("envs:\n  A: 'x\"y'\nfile_mounts:\n  /m: s3://b/$A\n") != nil)
    }
}

struct RedactionTests {
    @Test func envFileValuesAndShortValuesAreNotHidden() {
        let hidden = Redactor.hiddenValues(
            secrets: [
                ("FROM_ENV_FILE", "visible-value"), ("KEY", "a-real-secret"), ("PIN", "42"),
                ("OVERRIDDEN", "secret-value"), ("UNSET", nil),
            ],
            envs: [("FROM_ENV_FILE", "visible-value"), ("OVERRIDDEN", "env-value")])
        #expect(hidden == ["a-real-secret", "secret-value"])
    }

    @Test func redactorReplacesRegisteredValues() {
        Redactor.register(["zq9-hunter2-secret", "ab"])
        #expect(Redactor.redact("[zq9-hunter2-secret]") == "[<redacted>]")
        // Too short to register globally.
        #expect(Redactor.redact("[ab]") == "[ab]")
        #expect(Redactor.redact("abc", secrets: ["b"]) == "a<redacted>c")
    }

    @Test func errorsNeverShowSecretValues() throws {
        let error = try #require(
            loadError("secrets:\n  KEY: leaky-secret-99\nresources:\n  cpus: leaky-secret-99\n"))
        #expect(!error.description.contains("leaky-secret-99"))
        #expect(error.description.contains("<redacted>"))
    }
}

struct FileLoadingTests {
    @Test func loadsFromAPathAndReportsJSONErrors() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sky-file-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("good.yaml")
        try "name: hello\nresources:\n  cpus: 2+\nrun: echo hi\n".write(
            to: good, atomically: true, encoding: .utf8)
        let doc = try TaskLoader.load(path: good.path, overrides: TaskOverrides())
        let json = doc.validateJSON()
        #expect(json["ok"] == .bool(true))
        #expect(json["task"]?["resources"]?["cpus"] == .string("2+"))
        #expect(json["task"]?["name"] == .string("hello"))

        let bad = dir.appendingPathComponent("bad.yaml")
        try "name: hello\nresources:\n  cpus: 4++\n".write(
            to: bad, atomically: true, encoding: .utf8)
        do {
            _ = try TaskLoader.load(path: bad.path, overrides: TaskOverrides())
            Issue.record("expected an error")
        } catch {
            let errorJSON = error.validateJSON()
            #expect(errorJSON["ok"] == .bool(false))
            #expect(errorJSON["error"]?["line"] == .int(3))
            #expect(errorJSON["error"]?["field"] == .string("resources.cpus"))
            #expect(error.file == bad.path)
        }
        #expect(throws: TaskError.self) {
            try TaskLoader.load(
                path: dir.appendingPathComponent("missing.yaml").path, overrides: TaskOverrides())
        }
    }

    @Test func portsAndPriorityOptions() throws {
        let yaml = "resources:\n  ports: 8080\n  priority: 5\n"
        let reset = try single(yaml, TaskOverrides(ports: ["none"], priority: 7))
        #expect(reset.resources[0].ports.isEmpty)
        #expect(reset.resources[0].priority == 7)
        let added = try single(yaml, TaskOverrides(ports: ["9000-9001", "9002"]))
        #expect(added.resources[0].ports == ["9000-9002"])
        #expect(loadError(yaml, TaskOverrides(ports: ["none", "80"])) != nil)
    }
}
