import Foundation
import Testing

/// The test bed's login node and the agent build the commands copy there.
enum SlurmLoginCommandBed {
    static var loginConfig: String {
        ProcessInfo.processInfo.environment["SLURM_TESTBED_LOGIN_CONFIG"] ?? ""
    }
    static var agent: String {
        SkyProcess.packageRoot.appendingPathComponent(".build/debug/sky-slurm-agent").path
    }
    static var enabled: Bool {
        FileManager.default.fileExists(atPath: loginConfig)
            && FileManager.default.isExecutableFile(atPath: agent)
    }
}

/// Sky outside the Slurm cluster (`~/.slurm/config` names the test bed's login node, no
/// `SLURM_CONF`), one `sky` process per command as a user runs them: the first command starts
/// the agent over ssh and leaves it listening on the login node; the next ones reach it
/// through the ssh master's forward, so they need no ssh at all (their PATH is empty here).
@Suite(
    "Slurm through a login node, command by command", .serialized,
    .enabled(
        if: SlurmLoginCommandBed.enabled,
        "No Slurm login node (SLURM_TESTBED_LOGIN_CONFIG) or no .build/debug/sky-slurm-agent"))
struct SlurmLoginCommandTests {
    @Test func commandsAfterTheFirstReachTheAgentWithoutSsh() throws {
        let root = "/tmp/sky-cli-login-\(UUID().uuidString.prefix(6))"
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/home/.slurm", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: root + "/empty-bin", withIntermediateDirectories: true)
        try fm.copyItem(
            atPath: SlurmLoginCommandBed.loginConfig, toPath: root + "/home/.slurm/config")
        let skyHome = URL(fileURLWithPath: root + "/sky")
        let environment = [
            "HOME": root + "/home", "SLURM_CONF": "",
            "SKY_SLURM_AGENT_BINARY": SlurmLoginCommandBed.agent,
        ]
        defer {
            closeMaster(root: root, skyHome: skyHome.path)
            try? fm.removeItem(atPath: root)
        }

        let first = try SkyProcess.run(
            ["check", "slurm"], skyHome: skyHome, environment: environment)
        #expect(first.stdout.contains("skytestbed: enabled"), "\(first.stdout)\(first.stderr)")
        // A build the login node does not have yet is installed without a word about it.
        #expect(!first.stderr.contains("No such file"), "\(first.stderr)")

        var noSsh = environment
        noSsh["PATH"] = root + "/empty-bin"
        let gpus = try SkyProcess.run(
            ["gpus", "list", "--infra", "slurm"], skyHome: skyHome, environment: noSsh)
        #expect(gpus.status == 0, "\(gpus.stdout)\(gpus.stderr)")
        #expect(gpus.stdout.contains("Cluster: skytestbed"), "\(gpus.stdout)")
        #expect(gpus.stdout.contains("fake"), "\(gpus.stdout)")
        let check = try SkyProcess.run(
            ["check", "slurm"], skyHome: skyHome, environment: noSsh)
        #expect(check.stdout.contains("skytestbed: enabled"), "\(check.stdout)\(check.stderr)")
    }

    /// Closes the ssh master the commands left (its control socket is the one file of
    /// `ssh/cm` that is not Slurm's).
    private func closeMaster(root: String, skyHome: String) {
        let directory = skyHome + "/ssh/cm"
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for file in files where !file.hasPrefix("slurm-") {
            let ssh = Process()
            ssh.executableURL = URL(fileURLWithPath: "/usr/bin/ssh")
            ssh.arguments = [
                "-F", root + "/home/.slurm/config", "-S", directory + "/" + file, "-O", "exit",
                "skytestbed",
            ]
            ssh.standardError = FileHandle.nullDevice
            try? ssh.run()
            ssh.waitUntilExit()
        }
    }
}
