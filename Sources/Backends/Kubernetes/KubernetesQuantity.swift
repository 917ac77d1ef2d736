/// Parses Kubernetes resource quantities (`500m`, `2`, `8Gi`, `1G`, `129k`, `1e3`).
package enum KubernetesQuantity {
    private static let suffixes: [(String, Double)] = [
        ("Ki", 1024), ("Mi", 1_048_576), ("Gi", 1_073_741_824), ("Ti", 1_099_511_627_776),
        ("Pi", 1_125_899_906_842_624), ("n", 1e-9), ("u", 1e-6), ("m", 1e-3), ("k", 1e3),
        ("K", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12), ("P", 1e15),
    ]

    /// The quantity as a number (cpus in cores, memory in bytes); nil when unreadable.
    package static func parse(_ text: String) -> Double? {
        for (suffix, factor) in suffixes where text.hasSuffix(suffix) {
            guard let number = Double(text.dropLast(suffix.count)) else { return nil }
            return number * factor
        }
        return Double(text)
    }

    /// Bytes to GB (2^30), as instance types and offerings count memory.
    package static func gigabytes(_ bytes: Double) -> Double { bytes / 1_073_741_824 }
}
