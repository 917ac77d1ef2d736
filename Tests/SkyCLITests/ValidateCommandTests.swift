import Foundation
import SkyCore
import Testing

@Suite("sky validate")
struct ValidateCommandTests {
    static let goodTask = """
        name: hello
        resources:
          cpus: 2+
        run: |
          echo $GREETING
        envs:
          GREETING: hi
        """

    static let badTask = """
        name: hello
        resources:
          cpus: 4++
        run: echo hi
        """

    private func json(_ result: SkyProcess.Result) throws -> JSONValue {
        try JSONValue.parse(Data(result.stdout.utf8))
    }

    @Test func goodFileGivesOkTrueAndExitZero() throws {
        let path = try SkyProcess.temporaryFile(named: "task.yaml", contents: Self.goodTask)
        let result = try SkyProcess.run(["validate", path, "-o", "json"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let object = try json(result)
        #expect(object["ok"] == .bool(true))
        #expect(object["task"]?["name"] == .string("hello"))
        #expect(object["task"]?["run"] == .string("echo $GREETING\n"))
        #expect(object["task"]?["envs"]?["GREETING"] == .string("hi"))
    }

    @Test func badFileGivesOkFalseAndExitOne() throws {
        let path = try SkyProcess.temporaryFile(named: "task.yaml", contents: Self.badTask)
        let result = try SkyProcess.run(["validate", "-o", "json", path])
        #expect(result.status == 1)
        let object = try json(result)
        #expect(object["ok"] == .bool(false))
        let message = try #require(object["error"]?["message"]?.stringValue)
        #expect(message.contains("cpus"))
        #expect(message.contains("task.yaml:3"))
    }

    @Test func tableModePrintsTaskAndVerdict() throws {
        let path = try SkyProcess.temporaryFile(named: "task.yml", contents: Self.goodTask)
        let result = try SkyProcess.run(["validate", path])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("name: hello\n"))
        #expect(result.stdout.hasSuffix("Task is valid.\n"))
    }

    @Test func tableModeErrorGoesToStderrWithExitOne() throws {
        let path = try SkyProcess.temporaryFile(named: "task.yaml", contents: Self.badTask)
        let result = try SkyProcess.run(["validate", path])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("sky: "))
        #expect(result.stderr.contains("cpus"))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test func missingFileIsAnInvalidTask() throws {
        let result = try SkyProcess.run(["validate", "-o", "json", "/nonexistent/task.yaml"])
        #expect(result.status == 1)
        #expect(try json(result)["ok"] == .bool(false))
    }

    @Test func taskOptionsOverrideTheFile() throws {
        let path = try SkyProcess.temporaryFile(named: "task.yaml", contents: Self.goodTask)
        let result = try SkyProcess.run([
            "validate", path, "-o", "json", "--name", "renamed", "--env", "GREETING=bye",
            "--num-nodes", "2",
        ])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let task = try #require(try json(result)["task"])
        #expect(task["name"] == .string("renamed"))
        #expect(task["envs"]?["GREETING"] == .string("bye"))
        #expect(task["num_nodes"] == .int(2))
    }

    @Test func inlineCommandIsATask() throws {
        let result = try SkyProcess.run(["validate", "-o", "json", "--", "echo", "hello", "world"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let task = try #require(try json(result)["task"])
        #expect(task["run"] == .string("echo hello world"))
    }

    @Test func secretValuesAreRedacted() throws {
        let path = try SkyProcess.temporaryFile(
            named: "task.yaml", contents: "secrets:\n  TOKEN: null\nrun: echo hi\n")
        let value = "s3cr3t-\(UUID().uuidString)"
        for format in ["json", "table"] {
            let result = try SkyProcess.run([
                "validate", path, "-o", format, "--secret", "TOKEN=\(value)",
            ])
            #expect(result.status == 0, "stderr: \(result.stderr)")
            #expect(result.stdout.contains("TOKEN"))
            #expect(!result.stdout.contains(value))
            #expect(!result.stderr.contains(value))
        }
    }

    @Test func missingRequiredEnvIsNamed() throws {
        let path = try SkyProcess.temporaryFile(
            named: "task.yaml", contents: "envs:\n  MODEL_NAME: null\nrun: echo hi\n")
        let result = try SkyProcess.run(["validate", path, "-o", "json"])
        #expect(result.status == 1)
        let message = try #require(try json(result)["error"]?["message"]?.stringValue)
        #expect(message.contains("MODEL_NAME"))
        let fixed = try SkyProcess.run([
            "validate", path, "-o", "json", "--env", "MODEL_NAME=llama",
        ])
        #expect(fixed.status == 0, "stderr: \(fixed.stderr)")
        #expect(try json(fixed)["task"]?["envs"]?["MODEL_NAME"] == .string("llama"))
    }

    @Test func pipelineGivesADag() throws {
        let path = try SkyProcess.temporaryFile(
            named: "pipe.yaml",
            contents: "name: pipe\n---\nname: a\nrun: echo a\n---\nname: b\nrun: echo b\n")
        let result = try SkyProcess.run(["validate", path, "-o", "json"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let dag = try #require(try json(result)["dag"])
        #expect(dag["name"] == .string("pipe"))
        guard case .array(let tasks)? = dag["tasks"] else {
            Issue.record("dag.tasks is not an array")
            return
        }
        #expect(tasks.map { $0["name"] } == [.string("a"), .string("b")])
        let table = try SkyProcess.run(["validate", path])
        #expect(table.status == 0)
        #expect(table.stdout.components(separatedBy: "---\n").count == 3)
    }

    @Test func noEntrypointIsAUsageError() throws {
        let result = try SkyProcess.run(["validate"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("task YAML"))
    }
}
