/// The command line as it is recorded in state (`last_creation_command`, `sky status -o json`):
/// values given with `--secret K=V` / `--secret=K=V` are replaced by `<redacted>`, so a secret
/// typed on the command line never reaches the state database or any output.
enum RedactedCommandLine {
    static func render(_ arguments: [String]) -> String {
        var out: [String] = []
        var redactNext = false
        for argument in arguments {
            if redactNext {
                out.append(redactValue(argument))
                redactNext = false
            } else if argument == "--secret" {
                out.append(argument)
                redactNext = true
            } else if argument.hasPrefix("--secret=") {
                out.append("--secret=" + redactValue(String(argument.dropFirst("--secret=".count))))
            } else {
                out.append(argument)
            }
        }
        return out.joined(separator: " ")
    }

    /// `K=V` -> `K=<redacted>`; a bare `K` (value read from the environment) stays as is.
    private static func redactValue(_ text: String) -> String {
        guard let equals = text.firstIndex(of: "=") else { return text }
        return text[..<equals] + "=<redacted>"
    }
}
