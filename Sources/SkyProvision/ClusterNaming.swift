/// Cluster names on backends and instance tags (reference 5.2).
public enum ClusterNaming {
    /// Length of the user hash appended to every name on cloud.
    public static let userHashLength = 8
    /// Length of the name hash inserted when a name is truncated.
    public static let nameHashLength = 2

    /// `lower(name with . and _ → -)-<user hash[:8]>`; when longer than `maxLength`, the name
    /// is truncated and `-<2 base36 chars of md5(name)>` is inserted before the user hash.
    public static func nameOnCloud(_ displayName: String, userHash: String, maxLength: Int?)
        -> String
    {
        let cleaned = String(
            displayName.lowercased().map { $0 == "." || $0 == "_" ? "-" : $0 })
        let suffix = "-" + String(userHash.prefix(userHashLength))
        guard let maxLength, cleaned.count + suffix.count > maxLength else {
            return cleaned + suffix
        }
        let keep = max(0, maxLength - nameHashLength - 1 - suffix.count)
        let hash = String(MD5.base36(displayName).prefix(nameHashLength))
        return String(cleaned.prefix(keep)) + "-" + hash + suffix
    }

    /// Per-backend limits on the name on cloud.
    public static let limits: [String: Int] = [
        "gcp": 35, "kubernetes": 42, "azure": 42, "ibm": 47, "nebius": 50, "lambda": 57,
        "fluidstack": 57, "cudo": 60, "oci": 200, "aws": 248,
    ]

    /// Tags every instance of a cluster carries (5.2), plus the user's labels.
    public static func tags(
        nameOnCloud: String, user: String, isHead: Bool, labels: [String: String] = [:]
    ) -> [String: String] {
        var tags = labels
        tags["ray-cluster-name"] = nameOnCloud
        tags["skypilot-cluster-name"] = nameOnCloud
        tags["ray-node-type"] = isHead ? "head" : "worker"
        tags["skypilot-head-node"] = isHead ? "1" : "0"
        tags["skypilot-user"] = user
        return tags
    }

    /// Whether `name` is a valid cluster name: `[a-zA-Z]([-_.a-zA-Z0-9]*[a-zA-Z0-9])?`.
    public static func isValidClusterName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, let last = name.unicodeScalars.last
        else { return false }
        func letter(_ c: Unicode.Scalar) -> Bool {
            (c >= "a" && c <= "z") || (c >= "A" && c <= "Z")
        }
        func alnum(_ c: Unicode.Scalar) -> Bool { letter(c) || (c >= "0" && c <= "9") }
        guard letter(first), alnum(last) else { return false }
        return name.unicodeScalars.allSatisfy { alnum($0) || $0 == "-" || $0 == "_" || $0 == "." }
    }
}
