/// Checks the config keys Sky reads (SkyPilot validates the whole file against its schema;
/// unknown keys are left alone here, so newer SkyPilot keys do not break Sky). An error names
/// the layer's file, the key path and the line.
enum SkyConfigValidator {
    /// `kubernetes.ports` modes: SkyPilot's three plus Sky's `nodeport`.
    static let portModes = ["loadbalancer", "ingress", "podip", "nodeport"]
    static let networkingModes = ["portforward", "nodeport"]

    static func validate(_ layer: SkyConfig.Layer) throws(SkyConfigError) {
        let checker = Checker(layer: layer)
        let root = layer.value
        if let clouds = root["allowed_clouds"] {
            try checker.stringList(clouds, "allowed_clouds")
        }
        if let workspace = root["active_workspace"] {
            try checker.string(workspace, "active_workspace")
        }
        if let workspaces = root["workspaces"] {
            try checker.mapping(workspaces, "workspaces")
            if case .object(let pairs) = workspaces {
                for (name, section) in pairs {
                    try checker.mapping(section, "workspaces.\(name)", allowNull: true)
                    if let k8s = section["kubernetes"] {
                        try kubernetes(
                            k8s, "workspaces.\(name).kubernetes", checker, contexts: true)
                    }
                }
            }
        }
        if let k8s = root["kubernetes"] {
            try kubernetes(k8s, "kubernetes", checker, contexts: true)
        }
        for key in [
            "ssh", "slurm", "docker", "nvidia_gpus", "jobs", "serve", "aws", "gcp", "azure",
        ] {
            if let section = root[key] { try checker.mapping(section, key, allowNull: true) }
        }
        if let options = root["docker"]?["run_options"] {
            if case .string = options {
            } else {
                try checker.stringList(options, "docker.run_options")
            }
        }
        if let ecc = root["nvidia_gpus"]?["disable_ecc"], ecc != .null {
            guard case .bool = ecc else {
                throw checker.invalid("nvidia_gpus.disable_ecc", "must be true or false", ecc)
            }
        }
    }

    /// A `kubernetes` section (top level, a workspace's, or one `context_configs` entry).
    static func kubernetes(
        _ section: JSONValue, _ path: String, _ checker: Checker, contexts: Bool
    ) throws(SkyConfigError) {
        try checker.mapping(section, path, allowNull: true)
        if contexts, let allowed = section["allowed_contexts"], allowed != .null {
            if allowed.stringValue != "all" {
                try checker.stringList(allowed, "\(path).allowed_contexts")
            }
        }
        if let namespace = section["namespace"], namespace != .null {
            guard let name = namespace.stringValue, isDNSLabel(name) else {
                throw checker.invalid(
                    "\(path).namespace",
                    "must be a namespace name (lower-case letters, digits and '-', at most 63)",
                    namespace)
            }
        }
        if let ports = section["ports"], ports != .null {
            try checker.oneOf(ports, "\(path).ports", portModes)
        }
        for key in ["networking", "networking_mode"] {
            if let mode = section[key], mode != .null {
                try checker.oneOf(mode, "\(path).\(key)", networkingModes)
            }
        }
        if let timeout = section["provision_timeout"], timeout != .null {
            let seconds: Double? =
                switch timeout {
                case .int(let i): Double(i)
                case .double(let d): d
                default: nil
                }
            guard let seconds, seconds > 0 || seconds == -1 else {
                throw checker.invalid(
                    "\(path).provision_timeout", "must be a number of seconds (or -1 for no limit)",
                    timeout)
            }
        }
        for key in ["pod_config", "custom_metadata", "kueue", "dws", "high_availability"] {
            if let value = section[key] {
                try checker.mapping(value, "\(path).\(key)", allowNull: true)
            }
        }
        if let limits = section["set_pod_resource_limits"], limits != .null {
            switch limits {
            case .bool: break
            case .int(let n) where n >= 1: break
            case .double(let d) where d >= 1: break
            default:
                throw checker.invalid(
                    "\(path).set_pod_resource_limits", "must be true, false or a number >= 1",
                    limits)
            }
        }
        if contexts, let perContext = section["context_configs"], perContext != .null {
            try checker.mapping(perContext, "\(path).context_configs")
            if case .object(let pairs) = perContext {
                for (context, entry) in pairs {
                    try kubernetes(
                        entry, "\(path).context_configs.\(context)", checker, contexts: false)
                }
            }
        }
    }

    static func isDNSLabel(_ name: String) -> Bool {
        name.count <= 63 && name.wholeMatch(of: /[a-z0-9]([-a-z0-9]*[a-z0-9])?/) != nil
    }

    struct Checker {
        let layer: SkyConfig.Layer

        func invalid(_ path: String, _ rule: String, _ value: JSONValue) -> SkyConfigError {
            .invalid(
                file: layer.source, line: layer.line(of: path), keyPath: path,
                message: "\(rule) (got \(value.encoded()))")
        }

        func string(_ value: JSONValue, _ path: String) throws(SkyConfigError) {
            guard case .string = value else { throw invalid(path, "must be a string", value) }
        }

        func mapping(_ value: JSONValue, _ path: String, allowNull: Bool = false)
            throws(SkyConfigError)
        {
            if allowNull, value == .null { return }
            guard case .object = value else { throw invalid(path, "must be a mapping", value) }
        }

        func stringList(_ value: JSONValue, _ path: String) throws(SkyConfigError) {
            guard case .array(let items) = value else {
                throw invalid(path, "must be a list of strings", value)
            }
            for (index, item) in items.enumerated() {
                guard case .string = item else {
                    throw invalid("\(path)[\(index)]", "must be a string", item)
                }
            }
        }

        func oneOf(_ value: JSONValue, _ path: String, _ allowed: [String]) throws(SkyConfigError) {
            guard let text = value.stringValue?.lowercased(), allowed.contains(text) else {
                throw invalid(path, "must be one of \(allowed.joined(separator: ", "))", value)
            }
        }
    }
}
