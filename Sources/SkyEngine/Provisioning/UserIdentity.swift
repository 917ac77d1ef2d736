import Foundation
import SkyProvision

/// The launching user: name (`SKYPILOT_USER`) and an 8-hex-char hash kept in
/// `$SKY_HOME/user_hash` (created on first use), as SkyPilot does.
package struct UserIdentity: Sendable, Hashable {
    package var name: String
    package var hash: String

    package static func current(home: String, environment: [String: String]) -> UserIdentity {
        let name = environment["USER"] ?? environment["LOGNAME"] ?? NSUserName()
        let path = home + "/user_hash"
        if let saved = try? String(contentsOfFile: path, encoding: .utf8) {
            let trimmed = saved.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.count >= 8, trimmed.allSatisfy(\.isHexDigit) {
                return UserIdentity(name: name, hash: String(trimmed.prefix(8)))
            }
        }
        let hash = String(
            MD5.hex("\(name)-\(ProcessInfo.processInfo.hostName)-\(UUID())").prefix(8))
        try? FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        try? hash.write(toFile: path, atomically: true, encoding: .utf8)
        return UserIdentity(name: name, hash: hash)
    }

    /// `sky-<4 hex>-<cleaned user name>`.
    package func generatedClusterName() -> String {
        let cleaned = name.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        let hex = String(UUID().uuidString.lowercased().filter(\.isHexDigit).prefix(4))
        return "sky-\(hex)-"
            + String(cleaned).trimmingCharacters(in: CharacterSet(charactersIn: "-"))
    }
}
