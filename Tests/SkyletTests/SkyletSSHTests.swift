import Foundation
import SkyCore
import Testing

/// The SSH test bed (`sshpool.sh up`): the head skylet runs on one host (as its user, with a
/// private HOME under the login home so real clusters on the host are untouched) and reaches
/// the worker host over ssh with the test bed's key and known_hosts.
struct SSHTestbed {
    static let environment = ProcessInfo.processInfo.environment
    static var available: Bool {
        [
            "SKY_TESTBED_SSH_CONFIG", "SKY_TESTBED_SSH_KEY", "SKY_TESTBED_SSH_KNOWN_HOSTS",
            "SKY_TESTBED_SSH_NODES", "SKY_TESTBED_SSH_IPS",
        ]
        .allSatisfy { environment[$0].map { !$0.isEmpty } ?? false }
    }

    let config: String
    let names: [String]
    let ips: [String]
    let users: [String]
    let headHome: String

    init() throws {
        let env = Self.environment
        config = env["SKY_TESTBED_SSH_CONFIG"] ?? ""
        let allNames = (env["SKY_TESTBED_SSH_NODES"] ?? "").split(separator: " ").map(String.init)
        let allIPs = (env["SKY_TESTBED_SSH_IPS"] ?? "").split(separator: " ").map(String.init)
        guard allNames.count >= 2, allIPs.count == allNames.count else {
            throw HarnessError("the SSH test bed needs at least 2 hosts")
        }
        // The last two hosts: other suites tend to take the first ones.
        names = Array(allNames.suffix(2))
        ips = Array(allIPs.suffix(2))
        var users: [String] = []
        for name in names {
            users.append(
                try Self.ssh(config, name, "id -un", stdin: nil).out.trimmingCharacters(
                    in: .whitespacesAndNewlines))
        }
        self.users = users
        let home = try Self.ssh(config, names[0], "echo $HOME", stdin: nil).out.trimmingCharacters(
            in: .whitespacesAndNewlines)
        headHome = home + "/skylet-test-\(UUID().uuidString.prefix(8))"
    }

    struct Output {
        var code: Int32
        var out: String
        var err: String
    }

    static func ssh(_ config: String, _ host: String, _ command: String, stdin: Data?) throws
        -> Output
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ssh")
        process.arguments = ["-F", config, "-T", host, command]
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = stdin == nil ? FileHandle.nullDevice : input
        try process.run()
        if let stdin {
            input.fileHandleForWriting.write(stdin)
            try input.fileHandleForWriting.close()
        }
        let errBox = DataBox()
        Thread {
            errBox.data = err.fileHandleForReading.readDataToEndOfFile()
            errBox.ready.signal()
        }.start()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        errBox.ready.wait()
        return Output(
            code: process.terminationStatus, out: String(decoding: data, as: UTF8.self),
            err: String(decoding: errBox.data, as: UTF8.self))
    }

    static func quote(_ s: String) -> String {
        "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// `skylet args...` on the head host with HOME = the test's private home.
    @discardableResult
    func skylet(_ args: [String], stdin: Data? = nil) throws -> Output {
        let command =
            "HOME=\(Self.quote(headHome)) exec "
            + ([SkyletHarness.skyletBinary] + args).map(Self.quote).joined(separator: " ")
        let result = try Self.ssh(config, names[0], command, stdin: stdin)
        return Output(code: result.code, out: result.out, err: result.err)
    }

    /// Puts the key and known_hosts on the head and writes the cluster description.
    func prepare() throws -> ClusterSpec {
        let env = Self.environment
        let key = try Data(contentsOf: URL(fileURLWithPath: env["SKY_TESTBED_SSH_KEY"] ?? ""))
        let known = try Data(
            contentsOf: URL(fileURLWithPath: env["SKY_TESTBED_SSH_KNOWN_HOSTS"] ?? ""))
        let dir = Self.quote(headHome)
        var r = try Self.ssh(
            config, names[0],
            "umask 077 && mkdir -p \(dir)/.sky/keys \(dir)/.sky/skylet && cat > \(dir)/.sky/keys/sky-key",
            stdin: key)
        guard r.code == 0 else { throw HarnessError("copying the key failed: \(r.err)") }
        r = try Self.ssh(config, names[0], "cat > \(dir)/.sky/skylet/known_hosts", stdin: known)
        guard r.code == 0 else { throw HarnessError("copying known_hosts failed: \(r.err)") }
        let cluster = ClusterSpec(
            clusterName: "sshc", clusterNameOnCloud: "sshc-1", cloud: "ssh", region: "skytestbed",
            nodes: [
                NodeEndpoint(
                    kind: .ssh, ip: ips[0], user: users[0], port: 22,
                    identityFile: "~/.sky/keys/sky-key"),
                NodeEndpoint(
                    kind: .ssh, ip: ips[1], user: users[1], port: 22,
                    identityFile: "~/.sky/keys/sky-key"),
            ],
            cpusPerNode: 2, gpusPerNode: 0)
        let w = try skylet(["write-cluster"], stdin: try JSONEncoder().encode(cluster))
        guard w.code == 0 else { throw HarnessError("write-cluster failed: \(w.err)") }
        return cluster
    }

    func queue() throws -> [JobRecord] {
        try JSONDecoder().decode(
            [JobRecord].self, from: Data(try skylet(["queue", "-o", "json"]).out.utf8))
    }

    func waitFor(_ id: Int, timeout: Double = 60, _ done: (JobStatus) -> Bool = \.isTerminal) throws
        -> JobStatus?
    {
        let deadline = Date().addingTimeInterval(timeout)
        var last: JobStatus?
        while Date() < deadline {
            last = try queue().first { $0.jobID == id }?.status
            if let last, done(last) { return last }
            usleep(100_000)
        }
        return last
    }

    func cleanup() {
        _ = try? skylet(["teardown"])
        _ = try? Self.ssh(config, names[0], "rm -rf \(Self.quote(headHome))", stdin: nil)
    }
}

@Suite(
    .serialized,
    .enabled(
        if: SSHTestbed.available,
        "SSH test bed not configured: run 'eval \"$(Tests/testbed/sshpool.sh env)\"' after 'sshpool.sh up'"
    ))
struct SkyletSSHTests {
    @Test func twoNodeJobOnSSHHostsPrintsRankIPsAndEnv() throws {
        let bed = try SSHTestbed()
        defer { bed.cleanup() }
        _ = try bed.prepare()
        let spec = JobSpec(
            name: "ssh2", user: "tester", userHash: "abcd1234", numNodes: 2,
            setup: "echo setup-on-$(hostname)",
            run:
                #"echo "rank=$SKYPILOT_NODE_RANK ips=$(echo $SKYPILOT_NODE_IPS | tr ' ' ,) greeting=$GREETING host=$(hostname) token=$TOKEN""#,
            envs: [["GREETING", "hello ssh"]], secrets: [["TOKEN", "tok-\(UUID().uuidString)"]],
            cpusPerNode: 1, gpusPerNode: 0, resourcesString: "2x[CPU:1]")
        let submitted = try bed.skylet(["submit"], stdin: try JSONEncoder().encode(spec))
        #expect(submitted.code == 0, "\(submitted.err)")
        #expect(try bed.waitFor(1) == .succeeded)
        let log = try bed.skylet(["logs", "1", "--no-follow"]).out
        let ips = bed.ips.joined(separator: ",")
        #expect(
            log.contains(
                "(head, rank=0) rank=0 ips=\(ips) greeting=hello ssh host=\(bed.names[0]) token=<redacted>"
            ))
        #expect(
            log.contains(
                "(worker1, rank=1, ip=\(bed.ips[1])) rank=1 ips=\(ips) greeting=hello ssh host=\(bed.names[1]) token=<redacted>"
            ))
        #expect(log.contains("setup-on-\(bed.names[1])"))
    }

    @Test func cancelKillsTheJobOnTheRemoteWorker() throws {
        let bed = try SSHTestbed()
        defer { bed.cleanup() }
        _ = try bed.prepare()
        let spec = JobSpec(
            name: nil, user: "tester", userHash: "abcd1234", numNodes: 2, setup: nil,
            run: #"echo "sid=$(ps -o sid= -p $$ | tr -d ' ')"; sleep 300 & sleep 300"#,
            envs: [], secrets: [], cpusPerNode: 1, gpusPerNode: 0, resourcesString: "2x[CPU:1]")
        #expect(try bed.skylet(["submit"], stdin: try JSONEncoder().encode(spec)).code == 0)
        #expect(try bed.waitFor(1) { $0 == .running } == .running)
        var sids: [Int32] = []
        let deadline = Date().addingTimeInterval(30)
        while sids.count < 2 && Date() < deadline {
            let log = try bed.skylet(["logs", "1", "--no-follow"]).out
            sids = log.split(separator: "\n").compactMap { line in
                line.range(of: "sid=").flatMap { Int32(line[$0.upperBound...]) }
            }
            usleep(100_000)
        }
        #expect(sids.count == 2)
        // The test bed's hosts share this machine's process table.
        for sid in sids { #expect(!processesInSession(sid).isEmpty) }
        let cancel = try bed.skylet(["cancel", "1"])
        #expect(cancel.out.contains("\"cancelled\":[1]"))
        for sid in sids {
            #expect(processesInSession(sid).isEmpty, "session \(sid) survived the cancel")
        }
    }
}
