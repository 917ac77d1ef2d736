import Foundation

/// rsync exclusion arguments for a local directory (reference section 11): a `.skyignore` at
/// its root wins (and is the only source of exclusions); otherwise every `.gitignore` (at any
/// depth, as rsync dir-merge rules) plus `.git/info/exclude`.
package enum SyncFilters {
    package static func forDirectory(_ dir: String) -> [String] {
        let fm = FileManager.default
        if fm.fileExists(atPath: dir + "/.skyignore") {
            return ["--filter=dir-merge,- .skyignore"]
        }
        var filters = ["--filter=dir-merge,- .gitignore"]
        let exclude = dir + "/.git/info/exclude"
        if fm.fileExists(atPath: exclude) {
            filters.append("--exclude-from=\(exclude)")
        }
        return filters
    }

    /// rsync options every sync adds (SkyPilot: `-Pavz --no-owner --no-group`; `-a` comes
    /// from the runner).
    package static let common = ["--no-owner", "--no-group"]
}
