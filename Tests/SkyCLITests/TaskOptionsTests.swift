import Foundation
import Testing

/// The task options of reference section 4, on every command that takes a task.
@Suite("task options")
struct TaskOptionsTests {
    static let coreOptions = [
        "--workdir", "--infra", "--num-nodes", "--cpus", "--memory", "--disk-size", "--disk-tier",
        "--network-tier", "--use-spot/--no-use-spot", "--image-id", "--env-file", "--env",
        "--secret-file", "--secret", "--local-disk", "--gpus", "-t, --instance-type", "--ports",
        "--priority",
    ]
    static let hidden = ["--cloud", "--region", "--zone"]
    static let named = ["-n, --name", "--git-url", "--git-ref"]

    /// Whether a help text has a line that documents `option` (`  --cpus <n[+]>  ...`).
    static func documents(_ help: String, _ option: String) -> Bool {
        help.split(separator: "\n").contains { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            return trimmed == option || trimmed.hasPrefix(option + " ")
        }
    }

    @Test(arguments: [["launch"], ["exec"], ["jobs", "launch"], ["validate"]])
    func fullSet(_ command: [String]) throws {
        let help = try SkyProcess.run(command + ["--help"])
        #expect(help.status == 0)
        for option in Self.coreOptions + Self.named {
            #expect(Self.documents(help.stdout, option), "\(command) --help lacks \(option)")
        }
        for option in Self.hidden {
            #expect(!Self.documents(help.stdout, option), "\(option) should be hidden")
        }
        let hiddenHelp = try SkyProcess.run(command + ["--help-hidden"])
        for option in Self.hidden {
            #expect(Self.documents(hiddenHelp.stdout, option), "\(command) lacks hidden \(option)")
        }
    }

    @Test(arguments: [["serve", "up"], ["serve", "update"], ["jobs", "pool", "apply"]])
    func coreSet(_ command: [String]) throws {
        let help = try SkyProcess.run(command + ["--help"])
        #expect(help.status == 0)
        for option in Self.coreOptions {
            #expect(Self.documents(help.stdout, option), "\(command) --help lacks \(option)")
        }
        #expect(!help.stdout.contains("--name"))
    }

    @Test func repeatableAndHiddenOptionsReachTheTask() throws {
        let result = try SkyProcess.run([
            "validate", "-o", "json", "--env", "A=1", "--env", "B=2", "--ports", "8080",
            "--ports", "9000", "--no-use-spot", "--cloud", "gcp", "--", "echo", "hi",
        ])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("\"A\": \"1\""))
        #expect(result.stdout.contains("\"B\": \"2\""))
        #expect(result.stdout.contains("8080"))
        #expect(result.stdout.contains("9000"))
        #expect(result.stdout.contains("\"use_spot\": false"))
        #expect(result.stdout.contains("\"infra\": \"gcp\""))
    }
}
