import Foundation
import Testing

/// Real Helm through `Tests/testbed/helm.sh` (Helm v4 as a library in a virtualenv under
/// $TESTBED_DIR; its first run installs it from PyPI).
enum HelmTestbed {
    static let script = Repo.root + "/Tests/testbed/helm.sh"

    static let skipReason: Comment =
        "needs Tests/testbed/helm.sh (its first run installs helm-python-sdk from PyPI into $TESTBED_DIR/helm-venv)"

    /// Whether Helm works here: the virtualenv imports, or one lint run installs it.
    static let available: Bool = {
        if venvReady() { return true }
        _ = try? Command.run(script, ["lint", Repo.chart])
        return venvReady()
    }()

    private static func venvReady() -> Bool {
        let dir = ProcessInfo.processInfo.environment["TESTBED_DIR"] ?? "/tmp/skytestbed"
        let python = dir + "/helm-venv/bin/python"
        guard FileManager.default.isExecutableFile(atPath: python) else { return false }
        return (try? Command.run(python, ["-c", "import helm_python"]).status) == 0
    }

    static func lint(strict: Bool = true, setJSON: String? = nil) throws -> Command.Result {
        var arguments = ["lint", Repo.chart]
        if strict { arguments.append("--strict") }
        if let setJSON { arguments += ["--set-json", setJSON] }
        return try Command.run(script, arguments)
    }

    static func template(release: String, namespace: String, setJSON: String? = nil) throws
        -> String
    {
        var arguments = ["template", release, Repo.chart, "-n", namespace]
        if let setJSON { arguments += ["--set-json", setJSON] }
        let result = try Command.run(script, arguments)
        guard result.status == 0 else {
            throw TestbedError.failed("helm.sh template", result.output)
        }
        return result.stdout
    }
}
