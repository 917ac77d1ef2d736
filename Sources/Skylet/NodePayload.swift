import Foundation

/// The script a node's bash reads (on stdin, or from a file on Slurm) to run one phase (setup
/// or run) of a job. The environment (secrets included) travels inside it, so nothing secret
/// is in any argv, and the user's script is written to a file and started in a new session
/// (`setsid`) whose id is written beside it (`<script>.sid`) and, unless `reportsSession` is
/// false, reported on stderr as `SKYLET_SESSION <sid>`, so the whole group can be killed.
/// The interactive bash that runs it reads an rc file of ours first, which reports the session
/// and then sources `~/.bashrc` as bash would: one bash per phase, not a `bash -c` in front.
/// What that bash says about having no terminal (before the rc file) is not in the output.
enum NodePayload {
    static let sessionMarker = "SKYLET_SESSION "

    /// The file beside the script that holds its session id while it runs (`$HOME`: the
    /// node's home).
    static func sessionFile(home: String, scriptName: String) -> String {
        home + "/.sky/skylet/scripts/" + scriptName + ".sid"
    }

    /// `prelude`: shell lines run first (builtins only), before anything else of the payload.
    /// `reportsSession`: false on Slurm, where the driver reads the session from its file: a
    /// step's output after its first message waits for srun's delayed ACK (up to 40 ms), so
    /// nothing of ours may go before the task's first line.
    static func script(
        environment: [(String, String)], workdir: String, userScript: String, scriptName: String,
        prelude: [String] = [], reportsSession: Bool = true
    ) -> String {
        let delimiter =
            "SKYLET_SCRIPT_EOF_" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
        var lines = ["{"] + prelude + ["exec 0</dev/null"]
        for (key, value) in environment where isIdentifier(key) {
            lines.append("export \(key)=\(ShellQuote.quote(value))")
        }
        let workdirExpr =
            workdir.hasPrefix("/")
            ? ShellQuote.quote(workdir) : "\"$HOME\"/" + ShellQuote.quote(workdir)
        lines += [
            // Builtins only until the user's script starts (every exec costs start-up time).
            "[ -d \(workdirExpr) ] || mkdir -p \(workdirExpr) || exit 70",
            "[ -d \"$HOME/.sky/skylet/scripts\" ] || mkdir -p \"$HOME/.sky/skylet/scripts\" || exit 70",
            "cd \(workdirExpr) || exit 70",
            "f=\"$HOME/.sky/skylet/scripts/\"\(ShellQuote.quote(scriptName))",
            "IFS= read -r -d '' script <<'\(delimiter)'",
            userScript,
            delimiter,
            "printf '%s' \"$script\" > \"$f\" || exit 70",
            "unset script",
            "printf '%s\\n' \(ShellQuote.quote(rcFile(reportsSession: reportsSession))) > \"$f.rc\" || exit 70",
            // stderr joins stdout in the rc file, after bash's no-terminal complaints.
            "SKYLET_SCRIPT=\"$f\" setsid -w bash --rcfile \"$f.rc\" +o history -i \"$f\" 3>&2 2>/dev/null </dev/null &",
            "wait $! 2>/dev/null",
            "rc=$?",
            // Processes the script left running in its session end with it (they would
            // otherwise hold the output open and the node would never finish).
            "sid=; read -r sid < \"$f.sid\" 2>/dev/null; rm -f \"$f.sid\" \"$f.rc\" \"$f\"",
            "if [ -n \"$sid\" ]; then",
            "  alive() { ps -o stat= --sid \"$sid\" 2>/dev/null | grep -qv '^Z'; }",
            "  if alive; then pkill -TERM -s \"$sid\"; for _ in 1 2 3 4 5 6 7 8 9 10; do alive || break; sleep 0.1; done; pkill -KILL -s \"$sid\"; fi",
            "fi",
            "exit $rc",
            "}",
            "",
        ]
        return lines.joined(separator: "\n")
    }

    /// The rc file of the script's interactive bash (`$SKYLET_SCRIPT` is the script): sends
    /// stderr to stdout, reports the session (its id beside the script; the marker on fd 3
    /// when `reportsSession`), closes fd 3, then reads `~/.bashrc` as an interactive bash does.
    static func rcFile(reportsSession: Bool) -> String {
        let marker = reportsSession ? " echo \"\(sessionMarker)$$\" >&3;" : ""
        return [
            "exec 2>&1; echo $$ > \"$SKYLET_SCRIPT.sid\";\(marker) exec 3>&-; unset SKYLET_SCRIPT",
            "[ -f ~/.bashrc ] && . ~/.bashrc",
        ].joined(separator: "\n")
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first == "_" || first.properties.isAlphabetic,
            first.isASCII
        else { return false }
        return s.unicodeScalars.allSatisfy {
            $0.isASCII && ($0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0))
        }
    }

    /// Lines `bash -i` prints when it has no terminal; dropped from job logs.
    static func isShellNoise(_ line: String) -> Bool {
        line.hasPrefix("bash: cannot set terminal process group")
            || line == "bash: no job control in this shell"
    }
}
