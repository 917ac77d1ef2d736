import Foundation
import SkyCore

/// Clones a git workdir on each node at a branch, tag or commit. Credentials never reach a
/// command line: the script (with `GIT_TOKEN` exported) travels on the runner's stdin, git
/// reads the token through a `GIT_ASKPASS` helper that prints it from the environment, and an
/// ssh key (`GIT_SSH_KEY_PATH`) is copied to `~/.sky/git_ssh_key` (0600) on each node.
struct GitCheckout: Sendable {
    let url: String
    let ref: String?
    let credentials: [String: String]

    static let resultPrefix = "SKY_GIT_RESULT "

    func checkout(on runners: [any CommandRunner], into directory: String) async throws
        -> [(String, String)]
    {
        var keyPath: String?
        if let path = credentials["GIT_SSH_KEY_PATH"], !path.isEmpty, !url.hasPrefix("http") {
            let expanded = NSString(string: path).expandingTildeInPath
            guard FileManager.default.fileExists(atPath: expanded) else {
                throw SyncError.sshKeyMissing(path)
            }
            keyPath = expanded
        }
        let script = Data(script(directory: directory, useKey: keyPath != nil).utf8)
        let key = keyPath
        let results = try await withThrowingTaskGroup(of: (Int, [(String, String)]).self) { group in
            for (index, runner) in runners.enumerated() {
                group.addTask {
                    if let key {
                        try await runner.upload(
                            key, to: "~/.sky/git_ssh_key", filters: ["--chmod=F600"])
                    }
                    let result = try await runner.run(
                        ["bash", "-s"], stdin: script, environment: [:])
                    guard result.exitCode == 0 else {
                        let detail = (result.stderr + result.stdout).trimmingCharacters(
                            in: .whitespacesAndNewlines)
                        throw SyncError.gitFailed(node: runner.nodeName, detail: redact(detail))
                    }
                    return (index, parse(result.stdout))
                }
            }
            var all: [Int: [(String, String)]] = [:]
            for try await (index, env) in group { all[index] = env }
            return all
        }
        return results[0] ?? []
    }

    private func redact(_ text: String) -> String {
        guard let token = credentials["GIT_TOKEN"], !token.isEmpty else { return text }
        return text.replacingOccurrences(of: token, with: "<redacted>")
    }

    private func parse(_ stdout: String) -> [(String, String)] {
        guard
            let line = stdout.split(separator: "\n").last(where: { $0.hasPrefix(Self.resultPrefix) }
            )
        else { return [("GIT_URL", url)] }
        var env = [("GIT_URL", url)]
        for field in line.dropFirst(Self.resultPrefix.count).split(separator: " ") {
            let parts = field.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2, !parts[1].isEmpty { env.append((parts[0], parts[1])) }
        }
        return env
    }

    /// The bash script run on each node (stdin of `bash -s`).
    func script(directory: String, useKey: Bool) -> String {
        let q = ShellQuote.quote
        var lines = [
            "{", "exec 0</dev/null", "set -e", "cd \"$HOME\"", "export GIT_TERMINAL_PROMPT=0",
        ]
        if let token = credentials["GIT_TOKEN"], !token.isEmpty, url.hasPrefix("http") {
            lines += [
                "export GIT_TOKEN=\(q(token))",
                "mkdir -p \"$HOME/.sky\"",
                "askpass=\"$HOME/.sky/git_askpass.sh\"",
                #"printf '%s\n' '#!/bin/sh' 'case "$1" in Username*) echo "${GIT_USERNAME:-x-access-token}";; *) echo "$GIT_TOKEN";; esac' > "$askpass""#,
                "chmod 700 \"$askpass\"",
                "export GIT_ASKPASS=\"$askpass\"",
            ]
        }
        if useKey {
            lines.append(
                "export GIT_SSH_COMMAND=\"ssh -i $HOME/.sky/git_ssh_key -o IdentitiesOnly=yes -o StrictHostKeyChecking=accept-new\""
            )
        }
        let dir = q(directory)
        lines += [
            "url=\(q(url))",
            "ref=\(q(ref ?? ""))",
            "if [ -d \(dir)/.git ] && [ \"$(git -C \(dir) remote get-url origin 2>/dev/null)\" = \"$url\" ]; then",
            "  git -C \(dir) fetch --quiet --tags --force origin",
            "else",
            "  rm -rf \(dir)",
            "  git clone --quiet \"$url\" \(dir)",
            "fi",
            "cd \(dir)",
            "branch=; tag=",
            "if [ -z \"$ref\" ]; then",
            "  branch=$(git rev-parse --abbrev-ref origin/HEAD 2>/dev/null | sed 's|^origin/||')",
            "  [ -n \"$branch\" ] && git checkout --quiet -B \"$branch\" \"origin/$branch\"",
            "elif git rev-parse --verify --quiet \"refs/remotes/origin/$ref\" >/dev/null; then",
            "  branch=$ref; git checkout --quiet -B \"$ref\" \"origin/$ref\"",
            "elif git rev-parse --verify --quiet \"refs/tags/$ref\" >/dev/null; then",
            "  tag=$ref; git checkout --quiet --detach \"refs/tags/$ref\"",
            "else",
            "  git cat-file -e \"$ref^{commit}\" 2>/dev/null || git fetch --quiet origin \"$ref\"",
            "  git checkout --quiet --detach \"$ref\"",
            "fi",
            "echo \"\(Self.resultPrefix)GIT_COMMIT_HASH=$(git rev-parse HEAD) GIT_BRANCH=$branch GIT_TAG=$tag\"",
            "}",
            "",
        ]
        return lines.joined(separator: "\n")
    }
}
