import Foundation

/// POSIX shell quoting: one single-quoted word, safe for any content.
enum ShellQuote {
    static func quote(_ s: String) -> String {
        "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    static func join(_ argv: [String]) -> String {
        argv.map(quote).joined(separator: " ")
    }
}
