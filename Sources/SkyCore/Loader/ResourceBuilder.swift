import Foundation

/// `Resources._from_yaml_config_single` and `Resources.__init__`: one candidate from its merged
/// config.
struct ResourceBuilder {
    let shapes: (any InstanceShapeProvider)?
    let validator: SchemaValidator

    func build(_ config: FieldMap, path: String) throws(FieldError) -> Resources {
        var r = Resources()
        func p(_ key: String) -> String { config.path(key, default: path) }
        func value(_ key: String) -> PyValue? {
            guard let v = config[key], !v.isNone else { return nil }
            return v
        }
        func fail(_ key: String, _ message: String) -> FieldError { FieldError(p(key), message) }

        // infra / cloud / region / zone
        let infra = value("infra")
        if infra != nil, value("cloud") != nil || value("region") != nil || value("zone") != nil {
            throw FieldError(
                p("infra"),
                "cannot specify both `infra` and `cloud`, `region` or `zone`; use `infra` only")
        }
        if case .str(let text)? = infra {
            do {
                let spec = try InfraSpec.parse(text)
                r.cloud = spec.cloud
                r.region = spec.region
                r.zone = spec.zone
            } catch {
                throw fail("infra", error.message)
            }
        } else {
            if case .str(let cloud)? = value("cloud") {
                guard
                    let canonical = InfraSpec.canonicalCloud(cloud, extra: validator.extraBackends)
                else {
                    throw fail(
                        "cloud",
                        "cloud \(PyNumber.reprString(cloud)) is not a valid cloud"
                            + validator.extraBackends.suggestion(for: cloud))
                }
                r.cloud = canonical
            }
            r.region = value("region")?.pyStr
            r.zone = value("zone")?.pyStr
        }
        r.instanceType = value("instance_type")?.pyStr

        if let use = value("use_spot"), case .bool(let b) = use {
            r.useSpot = b
            r.useSpotSpecified = true
        }
        if let jr = value("job_recovery") {
            r.jobRecovery = normalizeJobRecovery(jr)
        }
        if let disk = value("disk_size") {
            do throws(ResourceFields.Failure) {
                let size = try ResourceFields.parseMemory(
                    disk.pyStr, field: "disk_size", asFloat: false)
                guard let gb = Int(size), gb > 0 else {
                    throw ResourceFields.Failure(
                        "\"disk_size\" must be a positive integer (in GB); got \(disk.pyRepr)")
                }
                r.diskSize = gb == 256 ? nil : gb
            } catch {
                throw fail("disk_size", error.message)
            }
        }
        try setImageID(&r, value("image_id"), path: p("image_id"))
        if case .str(let tier)? = value("disk_tier") {
            let lower = tier.lowercased()
            guard ["low", "medium", "high", "ultra", "best"].contains(lower) else {
                throw fail(
                    "disk_tier",
                    "invalid disk_tier \(PyNumber.reprString(lower)); must be one of low, medium, high, ultra, best"
                )
            }
            r.diskTier = lower
        }
        if case .str(let tier)? = value("network_tier") {
            let lower = tier.lowercased()
            guard ["standard", "best"].contains(lower) else {
                throw fail(
                    "network_tier",
                    "invalid network_tier \(PyNumber.reprString(lower)); must be one of standard, best"
                )
            }
            r.networkTier = lower
        }
        if let ports = value("ports") {
            do { r.ports = try ResourceFields.simplifyPorts(ports) } catch {
                throw fail("ports", error.message)
            }
        }
        if let labels = config["labels"], case .dict(let pairs) = labels {
            r.labelsSpecified = true
            for (k, v) in pairs { r.labels[k.pyStr] = v.pyStr }
        }
        if let maxCost = value("max_hourly_cost") {
            switch maxCost {
            case .int(let i): r.maxHourlyCost = Double(i)
            case .float(let d): r.maxHourlyCost = d
            default: break
            }
        }
        try setCPUs(&r, value("cpus"), path: p("cpus"))
        try setMemory(&r, value("memory"), path: p("memory"))
        try AcceleratorSetter.set(
            &r, value("accelerators"), args: value("accelerator_args"), path: p("accelerators"))
        if let autostop = value("autostop") {
            try AutostopParser.apply(&r, autostop, path: p("autostop"))
        }
        if case .int(let priority)? = value("priority") {
            guard (-1000...1000).contains(priority) else {
                throw fail("priority", "priority must be between -1000 and 1000; got \(priority)")
            }
            r.priority = priority
        }
        if let cls = value("priority_class") {
            let text = cls.pyStr.trimmingCharacters(in: .whitespacesAndNewlines)
            r.priorityClass = text.isEmpty ? nil : text
        }
        if let volumes = value("volumes"), volumes.isTruthy {
            r.volumes = try VolumeSpecs.normalize(volumes, path: p("volumes"))
        }
        if let local = value("local_disk") {
            do { r.localDisk = try ResourceFields.normalizeLocalDisk(local.pyStr) } catch {
                throw fail("local_disk", error.message)
            }
        }
        if case .bool(true)? = value("_no_missing_accel_warnings") {
            r.noMissingAccelWarnings = true
        }
        if case .bool(let b)? = value("_requires_fuse") { r.requiresFuse = b }
        if case .bool(let b)? = value("_is_image_managed") {
            r.extra["_is_image_managed"] = .bool(b)
        }
        if let overrides = value("_cluster_config_overrides"), overrides.isTruthy {
            if let v = validator.validate(
                overrides, TaskSchemas.taskConfig, path: p("_cluster_config_overrides"))
            {
                throw FieldError(v.path, v.message, atKey: v.unknownField)
            }
            r.clusterConfigOverrides = overrides.json
        }
        if let docker = value("_docker_login_config"), case .dict = docker {
            r.dockerLoginConfig = Resources.DockerLoginConfig(
                username: docker["username"]?.pyStr ?? "",
                password: docker["password"]?.pyStr ?? "",
                server: docker["server"]?.pyStr ?? "")
        }
        if let user = value("_docker_username_for_runpod") {
            r.dockerUsernameForRunpod = user.pyStr
        }
        // SkyPilot's `memory` property falls back to the catalog shape of the instance type.
        if r.memoryText == nil, let cloud = r.cloud, let type = r.instanceType,
            let mem = shapes?.shape(cloud: cloud, instanceType: type)?.memoryGB
        {
            r.memoryText = PyNumber.repr(mem)
        }
        return r
    }

    private func normalizeJobRecovery(_ value: PyValue) -> JSONValue? {
        var pairs: [(PyValue, PyValue)]
        if case .str(let s) = value {
            pairs = [(.str("strategy"), .str(s))]
        } else if case .dict(let d) = value {
            pairs = d
            if !pairs.contains(where: { $0.0 == .str("strategy") }) {
                pairs.append((.str("strategy"), .none))
            }
        } else {
            return value.json
        }
        guard let i = pairs.firstIndex(where: { $0.0 == .str("strategy") }) else { return nil }
        if case .str(let name) = pairs[i].1 {
            if name == "none" { return nil }
            pairs[i].1 = .str(name.uppercased())
        }
        return PyValue.dict(pairs).json
    }

    private func setCPUs(_ r: inout Resources, _ value: PyValue?, path: String) throws(FieldError) {
        guard let value else { return }
        let text = value.pyStr
        let number = text.hasSuffix("+") ? String(text.dropLast()) : text
        guard let v = PyNumber.parseFloat(number) else {
            throw FieldError(
                path, "\(PyNumber.reprString(text)) is not a number; use a number or \"<number>+\"")
        }
        guard !(v <= 0) else {
            throw FieldError(path, "cpus must be positive; got \(PyNumber.reprString(text))")
        }
        r.cpusText = text
        r.cpus = Resources.Quantity(v, orMore: text.hasSuffix("+"))
    }

    private func setMemory(_ r: inout Resources, _ value: PyValue?, path: String) throws(FieldError)
    {
        guard let value else { return }
        let text: String
        do {
            text = try ResourceFields.parseMemory(
                value.pyStr, field: "memory", asFloat: true, allowPlus: true, allowX: true)
        } catch {
            throw FieldError(path, error.message)
        }
        let suffix = text.last.map { $0 == "+" || $0 == "x" } ?? false
        let number = suffix ? String(text.dropLast()) : text
        guard let v = PyNumber.parseFloat(number) else {
            throw FieldError(
                path, "\(PyNumber.reprString(text)) is not a number; use a number or \"<number>+\"")
        }
        if v < 0 || (v == 0 && r.cloud != "slurm") {
            throw FieldError(path, "memory must be positive; got \(PyNumber.reprString(text))")
        }
        r.memoryText = text
        if !text.hasSuffix("x") { r.memory = Resources.Quantity(v, orMore: text.hasSuffix("+")) }
    }

    private func setImageID(_ r: inout Resources, _ value: PyValue?, path: String)
        throws(FieldError)
    {
        guard let value else { return }
        switch value {
        case .str(let s):
            r.imageID = [r.region: s.trimmingCharacters(in: .whitespacesAndNewlines)]
        case .dict(var pairs):
            if let i = pairs.firstIndex(where: { $0.0 == .str("docker") }) {
                var image = pairs[i].1.pyStr.trimmingCharacters(in: .whitespacesAndNewlines)
                if image.hasPrefix("docker:") { image = String(image.dropFirst(7)) }
                r.dockerImage = image
                pairs.remove(at: i)
            }
            if let nullKey = pairs.first(where: { $0.0.isNone }) {
                r.imageID = [
                    r.region: nullKey.1.pyStr.trimmingCharacters(in: .whitespacesAndNewlines)
                ]
            } else {
                for (k, v) in pairs {
                    r.imageID[k.pyStr.trimmingCharacters(in: .whitespacesAndNewlines)] =
                        v.pyStr.trimmingCharacters(in: .whitespacesAndNewlines)
                }
            }
            if r.dockerImage != nil {
                let prefixed = r.imageID.filter { $0.value.hasPrefix("docker:") }
                if !prefixed.isEmpty {
                    throw FieldError(
                        path,
                        "image_id has both a 'docker' key and docker:-prefixed region values; use only one way to name the Docker image"
                    )
                }
            }
        default:
            return
        }
        if r.cloud == "kubernetes" || r.cloud == "ssh" {
            for (k, v) in r.imageID where !v.hasPrefix("docker:") { r.imageID[k] = "docker:" + v }
        }
    }
}
