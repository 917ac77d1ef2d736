import Foundation

@testable import SkyRuntime

/// The SSH testbed (`/work/shared/testbed/sshpool.sh env`), when its variables are set.
enum RunnerTestbed {
    static let env = ProcessInfo.processInfo.environment
    static var available: Bool {
        guard let key = env["SKY_TESTBED_SSH_KEY"], let ips = env["SKY_TESTBED_SSH_IPS"],
            env["SKY_TESTBED_SSH_KNOWN_HOSTS"] != nil
        else { return false }
        return !ips.isEmpty && FileManager.default.fileExists(atPath: key)
    }
    static var ips: [String] {
        (env["SKY_TESTBED_SSH_IPS"] ?? "").split(separator: " ").map(String.init)
    }

    /// Options for testbed host `index` (0-based): user `sky<index+1>`, strict host keys.
    static func options(_ index: Int, controlDirectory: String?) -> SSHOptions {
        SSHOptions(
            host: ips[index], user: "sky\(index + 1)", identityFile: env["SKY_TESTBED_SSH_KEY"],
            knownHostsFiles: [env["SKY_TESTBED_SSH_KNOWN_HOSTS"] ?? ""], hostKeyPolicy: .strict,
            controlDirectory: controlDirectory, controlPersistSeconds: 30,
            connectTimeoutSeconds: 5)
    }

    /// A new folder under this test process's own `/tmp/skyrt-<pid>`, which goes when the
    /// process exits (the tests' ssh masters, closed by the tests, keep sockets in some).
    static func tempDirectory(_ tag: String) throws -> String {
        let path = processRoot + "/\(tag)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private static let processRoot: String = {
        let root = "/tmp/skyrt-\(getpid())"
        atexit { try? FileManager.default.removeItem(atPath: "/tmp/skyrt-\(getpid())") }
        return root
    }()
}

/// Arguments that break naive quoting.
let hostileArguments = [
    "plain", "two words", "it's", "\"double\"", "$(touch /tmp/sky-quote-pwned)",
    "`touch /tmp/sky-quote-pwned`", "${HOME}", "$HOME", "line1\nline2", "*", "/*", "?",
    "[a-z]", "", " ", "semi;colon", "a && b", "a | b", "> /tmp/sky-quote-pwned", "back\\slash",
    "'", "''", "'\\''", "tab\there", "~", "~/x", "!bang", "-n", "--", "ünïcødé 漢字", "#hash",
    "{a,b}", "a=b", "%s",
]
