/// Backends by name. Built-in ones register at engine start-up; the last registration of a
/// name wins (reference 5.1), so a plugin may replace a built-in only when the engine allows.
public actor ProvisionerRegistry {
    private var provisioners: [String: any Provisioner] = [:]

    public init() {}

    public func register(_ provisioner: any Provisioner) {
        provisioners[provisioner.name.lowercased()] = provisioner
    }

    public func provisioner(named name: String) -> (any Provisioner)? {
        provisioners[name.lowercased()]
    }

    /// The provisioner or `.invalidConfig` naming the registered ones.
    public func require(_ name: String) throws(ProvisionError) -> any Provisioner {
        guard let provisioner = provisioners[name.lowercased()] else {
            let known = provisioners.keys.sorted().joined(separator: ", ")
            throw .invalidConfig("Unknown infra '\(name)'. Known backends: \(known).")
        }
        return provisioner
    }

    public var names: [String] { provisioners.keys.sorted() }

    public var all: [any Provisioner] {
        provisioners.keys.sorted().compactMap { provisioners[$0] }
    }
}
