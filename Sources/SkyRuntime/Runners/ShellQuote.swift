import Foundation

/// POSIX shell quoting with single quotes: the only safe way to pass an argument through a
/// shell (a remote ssh command line, `bash -c`). Every byte inside single quotes is literal
/// except `'` itself, which is written as `'\''`.
package enum ShellQuote {
    /// Characters that never need quoting in a POSIX shell word.
    private static let safe = Set(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%+=:,./-_")

    /// Quotes one argument. Plain words are returned as is (readable logs); the empty string
    /// becomes `''`.
    package static func quote(_ argument: String) -> String {
        if argument.isEmpty { return "''" }
        if argument.allSatisfy({ safe.contains($0) }) { return argument }
        return "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Quotes every argument and joins them with spaces: a command line that a POSIX shell
    /// splits back into exactly `argv`.
    package static func join(_ argv: [String]) -> String {
        argv.map(quote).joined(separator: " ")
    }
}
