import CSlurm
import Foundation

/// Slurm's time formats (`--time`): `M`, `M:S`, `H:M:S`, `D-H`, `D-H:M`, `D-H:M:S`,
/// `UNLIMITED` / `INFINITE`.
package enum SlurmTimeLimit {
    /// Minutes (seconds round up), `INFINITE` for unlimited; nil when malformed.
    package static func minutes(_ text: String) -> UInt32? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if ["unlimited", "infinite", "-1"].contains(trimmed.lowercased()) {
            return UInt32(INFINITE)
        }
        var days = 0
        var rest = Substring(trimmed)
        if let dash = rest.firstIndex(of: "-") {
            guard let d = Int(rest[..<dash]), d >= 0 else { return nil }
            days = d
            rest = rest[rest.index(after: dash)...]
        }
        let parts = rest.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
        guard !parts.isEmpty, parts.count <= 3, parts.allSatisfy({ ($0 ?? -1) >= 0 }) else {
            return nil
        }
        let p = parts.compactMap { $0 }
        var seconds: Int
        if trimmed.contains("-") {
            // D-H, D-H:M, D-H:M:S
            seconds = p[0] * 3600 + (p.count > 1 ? p[1] * 60 : 0) + (p.count > 2 ? p[2] : 0)
        } else {
            switch p.count {
            case 1: seconds = p[0] * 60
            case 2: seconds = p[0] * 60 + p[1]
            default: seconds = p[0] * 3600 + p[1] * 60 + p[2]
            }
        }
        seconds += days * 86_400
        let minutes = (seconds + 59) / 60
        guard minutes > 0, minutes < Int(UInt32(NO_VAL)) else { return nil }
        return UInt32(minutes)
    }
}
