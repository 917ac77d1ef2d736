import Foundation
import SkyCore
import Testing

@testable import SkyRuntime

@Suite struct SyncTests {
    /// A temp dir with `files` (relative path -> content).
    static func tree(_ files: [String: String]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sync-\(UUID().uuidString.prefix(8))"
        ).path
        for (path, content) in files {
            let full = dir + "/" + path
            try FileManager.default.createDirectory(
                atPath: (full as NSString).deletingLastPathComponent,
                withIntermediateDirectories: true)
            try content.write(toFile: full, atomically: true, encoding: .utf8)
        }
        return dir
    }

    static func nodes(_ count: Int) throws -> [String] {
        try (0..<count).map { _ in try tree([".keep": ""]) }
    }

    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    @Test func skyignoreAloneDecidesWhatIsExcluded() async throws {
        let src = try Self.tree([
            "keep.txt": "k", "a.log": "x", "sub/b.log": "x", "data/big.bin": "x",
            "sub/data/inner.txt": "i",
            ".skyignore": "# comment\n*.log\n/data\n", ".gitignore": "keep.txt\n",
        ])
        let homes = try Self.nodes(2)
        defer { for path in [src] + homes { try? FileManager.default.removeItem(atPath: path) } }
        let runners = homes.enumerated().map {
            LocalRunner(nodeName: "node\($0.offset)", home: $0.element) as any CommandRunner
        }
        try await WorkdirSync().sync(.path(src), runners: runners)
        for home in homes {
            let wd = home + "/sky_workdir"
            #expect(
                Self.exists(wd + "/keep.txt"), ".gitignore must be ignored when .skyignore exists")
            #expect(!Self.exists(wd + "/a.log"))
            #expect(!Self.exists(wd + "/sub/b.log"), "unanchored patterns match at any depth")
            #expect(!Self.exists(wd + "/data"), "/data is anchored to the root")
            #expect(Self.exists(wd + "/sub/data/inner.txt"))
        }
    }

    @Test func gitignoreAtAnyDepthAndInfoExclude() async throws {
        let src = try Self.tree([
            "main.py": "m", "scratch.tmp": "x", "sub/keep.py": "k", "sub/creds.txt": "x",
            "sub/.gitignore": "creds.txt\n", ".gitignore": "*.tmp\n", "excluded.txt": "x",
            ".git/info/exclude": "excluded.txt\n", ".git/HEAD": "ref: refs/heads/main\n",
        ])
        let homes = try Self.nodes(1)
        defer { for path in [src] + homes { try? FileManager.default.removeItem(atPath: path) } }
        try await WorkdirSync().sync(.path(src), runners: [LocalRunner(home: homes[0])])
        let wd = homes[0] + "/sky_workdir"
        #expect(Self.exists(wd + "/main.py"))
        #expect(Self.exists(wd + "/sub/keep.py"))
        #expect(!Self.exists(wd + "/scratch.tmp"))
        #expect(!Self.exists(wd + "/sub/creds.txt"))
        #expect(!Self.exists(wd + "/excluded.txt"))
    }

    @Test func missingWorkdirIsAnError() async throws {
        await #expect(throws: SyncError.self) {
            try await WorkdirSync().sync(.path("/nonexistent/\(UUID())"), runners: [LocalRunner()])
        }
    }

    @Test func fileMountsCopyFilesAndDirectoriesAndRefuseStorage() async throws {
        let src = try Self.tree([
            "conf.yaml": "c: 1", "dataset/x.csv": "1,2", "dataset/tmp.log": "x",
            "dataset/.gitignore": "*.log\n",
        ])
        let homes = try Self.nodes(2)
        defer { for path in [src] + homes { try? FileManager.default.removeItem(atPath: path) } }
        let runners = homes.map { LocalRunner(home: $0) as any CommandRunner }
        try await FileMountSync().sync(
            [
                ("~/configs/conf.yaml", .local(src + "/conf.yaml")),
                ("data", .local(src + "/dataset")),
            ],
            runners: runners)
        let absolute = src + "/absolute-target/deep"
        try await FileMountSync().sync(
            [(absolute + "/conf.yaml", .local(src + "/conf.yaml"))], runners: [runners[0]])
        #expect((try? String(contentsOfFile: absolute + "/conf.yaml", encoding: .utf8)) == "c: 1")
        for home in homes {
            #expect(
                (try? String(contentsOfFile: home + "/configs/conf.yaml", encoding: .utf8))
                    == "c: 1")
            #expect((try? String(contentsOfFile: home + "/data/x.csv", encoding: .utf8)) == "1,2")
            #expect(!Self.exists(home + "/data/tmp.log"))
        }
        do {
            try await FileMountSync().sync([("/data", .uri("s3://bucket/path"))], runners: runners)
            Issue.record("a cloud URI must be refused")
        } catch let error as SyncError {
            #expect(error.description.contains("comes with storage support"))
        }
    }
}

/// A local bare repository with a tag `v1` (first commit), branch `main` (second commit) and
/// branch `feature` (third commit).
struct BareRepo {
    let bare: String
    let work: String
    var commits: [String] = []

    init() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "git-\(UUID().uuidString.prefix(8))"
        ).path
        bare = root + "/repo.git"
        work = root + "/work"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        try Self.git(["init", "--quiet", "--bare", "-b", "main", bare], in: root)
        try Self.git(["init", "--quiet", "-b", "main"], in: work)
        try Self.git(["remote", "add", "origin", bare], in: work)
        for (i, text) in ["version one", "version two"].enumerated() {
            try text.write(toFile: work + "/VERSION", atomically: true, encoding: .utf8)
            try Self.git(["add", "VERSION"], in: work)
            try Self.git(["commit", "--quiet", "-m", "c\(i)"], in: work)
            commits.append(try Self.git(["rev-parse", "HEAD"], in: work))
            if i == 0 { try Self.git(["tag", "v1"], in: work) }
        }
        try Self.git(["push", "--quiet", "origin", "main", "--tags"], in: work)
        try Self.git(["checkout", "--quiet", "-b", "feature"], in: work)
        try "feature".write(toFile: work + "/VERSION", atomically: true, encoding: .utf8)
        try Self.git(["commit", "--quiet", "-am", "f"], in: work)
        commits.append(try Self.git(["rev-parse", "HEAD"], in: work))
        try Self.git(["push", "--quiet", "origin", "feature"], in: work)
    }

    @discardableResult
    static func git(_ args: [String], in dir: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        p.arguments =
            [
                "-c", "user.name=t", "-c", "user.email=t@example.com", "-c",
                "init.defaultBranch=main",
            ] + args
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw SyncError.gitFailed(node: "test", detail: args.joined(separator: " "))
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

@Suite struct SyncGitTests {
    func env(_ pairs: [(String, String)]) -> [String: String] {
        Dictionary(pairs, uniquingKeysWith: { _, b in b })
    }

    @Test func gitWorkdirAtATagBranchAndCommit() async throws {
        let repo = try BareRepo()
        let homes = try SyncTests.nodes(2)
        defer {
            for path in homes + [(repo.bare as NSString).deletingLastPathComponent] {
                try? FileManager.default.removeItem(atPath: path)
            }
        }
        let runners = homes.map { LocalRunner(home: $0) as any CommandRunner }
        let atTag = env(
            try await WorkdirSync().sync(.git(url: repo.bare, ref: "v1"), runners: runners))
        for home in homes {
            #expect(
                (try? String(contentsOfFile: home + "/sky_workdir/VERSION", encoding: .utf8))
                    == "version one")
        }
        #expect(atTag["GIT_URL"] == repo.bare)
        #expect(atTag["GIT_TAG"] == "v1")
        #expect(atTag["GIT_BRANCH"] == nil)
        #expect(atTag["GIT_COMMIT_HASH"] == repo.commits[0])

        // Re-sync on the existing checkout moves it to a branch, then to a bare commit.
        let atBranch = env(
            try await WorkdirSync().sync(.git(url: repo.bare, ref: "feature"), runners: runners))
        #expect(atBranch["GIT_BRANCH"] == "feature")
        #expect(atBranch["GIT_COMMIT_HASH"] == repo.commits[2])
        #expect(
            (try? String(contentsOfFile: homes[1] + "/sky_workdir/VERSION", encoding: .utf8))
                == "feature")

        let atCommit = env(
            try await WorkdirSync().sync(
                .git(url: repo.bare, ref: repo.commits[1]), runners: runners))
        #expect(atCommit["GIT_COMMIT_HASH"] == repo.commits[1])
        #expect(
            (try? String(contentsOfFile: homes[0] + "/sky_workdir/VERSION", encoding: .utf8))
                == "version two")

        let atDefault = env(
            try await WorkdirSync().sync(.git(url: repo.bare, ref: nil), runners: runners))
        #expect(atDefault["GIT_BRANCH"] == "main")
        #expect(atDefault["GIT_COMMIT_HASH"] == repo.commits[1])
    }

    @Test func unknownRefFailsWithTheNodeName() async throws {
        let repo = try BareRepo()
        let homes = try SyncTests.nodes(1)
        defer {
            for path in homes + [(repo.bare as NSString).deletingLastPathComponent] {
                try? FileManager.default.removeItem(atPath: path)
            }
        }
        do {
            try await WorkdirSync().sync(
                .git(url: repo.bare, ref: "no-such-ref"),
                runners: [LocalRunner(nodeName: "nodeX", home: homes[0])])
            Issue.record("an unknown ref must fail")
        } catch let error as SyncError {
            #expect(error.description.contains("nodeX"))
        }
    }

    @Test func tokenTravelsOnStdinNotInTheScriptArgv() {
        let checkout = GitCheckout(
            url: "https://example.com/r.git", ref: nil, credentials: ["GIT_TOKEN": "tok-123"])
        let script = checkout.script(directory: "sky_workdir", useKey: false)
        // The token is only exported inside the script (which travels on stdin).
        #expect(
            script.contains("export GIT_TOKEN=tok-123")
                || script.contains("export GIT_TOKEN='tok-123'"))
        #expect(script.components(separatedBy: "tok-123").count == 2)
        #expect(script.contains("GIT_ASKPASS"))
        #expect(!script.contains("https://tok-123@"))
    }
}
