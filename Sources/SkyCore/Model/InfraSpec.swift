import Foundation

/// `cloud[/region[/zone]]` as SkyPilot parses and prints it (`k8s/<context>`, `ssh/<pool>`,
/// `slurm/<cluster>/<partition>`, `*` wildcards).
public struct InfraSpec: Sendable, Hashable {
    /// Lower-case registry name (`aws`, `kubernetes`, `ssh`, ...); nil = any.
    public var cloud: String?
    /// Region (`ssh-<pool>` for SSH node pools, the context for Kubernetes).
    public var region: String?
    public var zone: String?

    public init(cloud: String? = nil, region: String? = nil, zone: String? = nil) {
        self.cloud = (cloud == nil || cloud == "" || cloud == "*") ? nil : cloud
        self.region = (region == nil || region == "" || region == "*") ? nil : region
        self.zone = (zone == nil || zone == "" || zone == "*") ? nil : zone
    }

    /// Every compute backend SkyPilot 0.14.1 registers, by registry name.
    public static let knownClouds: [String] = [
        "aws", "azure", "cudo", "do", "fluidstack", "gcp", "hyperbolic", "ibm", "kubernetes",
        "lambda",
        "mithril", "nebius", "oci", "paperspace", "primeintellect", "runpod", "scp", "seeweb",
        "shadeform", "slurm", "ssh", "vast", "verda", "vsphere", "yotta", "local",
    ]

    /// Registry lookup of a cloud name (`k8s` and `digitalocean` are aliases).
    public static func canonicalCloud(_ name: String) -> String? {
        let lower = name.lowercased()
        switch lower {
        case "k8s": return "kubernetes"
        case "digitalocean": return "do"
        default: return knownClouds.contains(lower) ? lower : nil
        }
    }

    /// Registry lookup that also accepts the extra backends (installed plugins); built-in
    /// names win.
    public static func canonicalCloud(_ name: String, extra: ExtraBackends) -> String? {
        if let builtin = canonicalCloud(name) { return builtin }
        return extra.contains(name) ? name.lowercased() : nil
    }

    /// `InfraInfo.from_str`.
    public static func parse(_ text: String) throws(InfraError) -> InfraSpec {
        var infra = text.trimmingCharacters(in: .whitespaces)
        guard !infra.isEmpty else { return InfraSpec() }
        while infra.hasPrefix("/") { infra.removeFirst() }
        while infra.hasSuffix("/") { infra.removeLast() }
        let parts = infra.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        if parts.contains("") {
            throw InfraError(
                message:
                    "invalid infra \(PyNumber.reprString(infra)): empty parts (e.g. \"//\") are not allowed"
            )
        }
        let cloud = parts[0].lowercased()
        var region: String?
        var zone: String?
        switch cloud {
        case "k8s", "kubernetes":
            region = parts.count >= 2 ? parts[1...].joined(separator: "/") : nil
            return InfraSpec(cloud: "kubernetes", region: region, zone: nil)
        case "ssh":
            if parts.count >= 2 { region = "ssh-" + parts[1...].joined(separator: "/") }
            return InfraSpec(cloud: "ssh", region: region, zone: nil)
        default:
            if parts.count > 3 {
                throw InfraError(
                    message:
                        "invalid infra \(PyNumber.reprString(infra)): expected \"cloud\", \"cloud/region\" or \"cloud/region/zone\""
                )
            }
            if parts.count > 1 { region = parts[1] }
            if parts.count > 2 { zone = parts[2] }
            return InfraSpec(cloud: cloud, region: region, zone: zone)
        }
    }

    /// `InfraInfo.to_str`: `aws/us-east-1`, `*/us-east-1`, `kubernetes/ctx`, `ssh/pool`; nil = any.
    public var text: String? {
        var regionText = region ?? "*"
        if regionText.hasPrefix("ssh-") { regionText = String(regionText.dropFirst(4)) }
        var parts = [cloud ?? "*", regionText, zone ?? "*"]
        while parts.last == "*" { parts.removeLast() }
        return parts.isEmpty ? nil : parts.joined(separator: "/")
    }
}

public struct InfraError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}
