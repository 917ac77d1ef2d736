/// `Resources.from_yaml_config`: a `resources` block (base plus `any_of` / `ordered`, accelerator
/// sets and lists) to resource candidates.
struct ResourcesParser {
    let validator: SchemaValidator
    /// Instance shapes for `memory` inferred from `instance_type` (SkyPilot reads its catalog).
    let shapes: (any InstanceShapeProvider)?

    struct Candidates {
        var items: [Resources]
        /// A Python list (tried in order) rather than a set.
        var ordered: Bool
    }

    func parse(_ input: FieldMap, path: String) throws(FieldError) -> Candidates {
        var config = input
        try applyAliases(&config, path: path)
        for group in ["any_of", "ordered"] {
            guard case .list(let entries)? = config[group] else { continue }
            var fixed: [PyValue] = []
            for (i, entry) in entries.enumerated() {
                guard case .dict = entry else {
                    fixed.append(entry)
                    continue
                }
                var sub = FieldMap(entry, path: "\(path).\(group)[\(i)]")
                try applyAliases(&sub, path: "\(path).\(group)[\(i)]")
                fixed.append(sub.value)
            }
            config.set(group, .list(fixed), path: config.path(group, default: path))
        }
        let hooks = config.remove("hooks")
        if let violation = validator.validate(config.withoutNone, TaskSchemas.resources, path: path)
        {
            throw FieldError(
                remap(violation.path, config, base: path), violation.message,
                atKey: violation.unknownField)
        }
        if let hooks { config.entries.append(hooks) }

        let anyOf = config.remove("any_of")
        let ordered = config.remove("ordered")
        if anyOf != nil, ordered != nil {
            throw FieldError(path, "cannot specify both \"any_of\" and \"ordered\"")
        }
        var accelerators: [(String, Bool)] = []
        var acceleratorsIsList = false
        if let acc = config["accelerators"], !acc.isNone {
            let accPath = config.path("accelerators", default: path)
            var parsed: [(String, Bool)] = []
            do throws(ResourceFields.Failure) {
                switch acc {
                case .str(let s):
                    parsed = try ResourceFields.parseAcceleratorString(s)
                case .dict(let pairs):
                    for (k, v) in pairs {
                        let name = v.isNone ? k.pyStr : "\(k.pyStr):\(v.pyStr)"
                        parsed += try ResourceFields.parseAcceleratorString(name)
                    }
                case .list(let items):
                    acceleratorsIsList = true
                    for item in items {
                        parsed += try ResourceFields.parseAcceleratorString(item.pyStr)
                    }
                default:
                    throw ResourceFields.Failure("invalid accelerators type \(acc.typeName)")
                }
            } catch {
                throw FieldError(accPath, error.message)
            }
            for (name, userSpecified) in parsed {
                if let i = accelerators.firstIndex(where: { $0.0 == name }) {
                    accelerators[i].1 = accelerators[i].1 || userSpecified
                } else {
                    accelerators.append((name, userSpecified))
                }
            }
            if accelerators.count > 1, ordered?.value.isTruthy == true {
                throw FieldError(
                    accPath, "cannot specify multiple \"accelerators\" with \"ordered\"")
            }
            if accelerators.count > 1, anyOf?.value.isTruthy == true, acceleratorsIsList {
                throw FieldError(
                    accPath,
                    "cannot specify multiple \"accelerators\" with a preferred order (a list) and \"any_of\""
                )
            }
        }
        if let group = anyOf, group.value.isTruthy {
            return Candidates(items: try override(config, group, path: path), ordered: false)
        }
        if let group = ordered, group.value.isTruthy {
            return Candidates(items: try override(config, group, path: path), ordered: true)
        }
        if !accelerators.isEmpty {
            var items: [Resources] = []
            for (name, userSpecified) in accelerators {
                var single = config
                single.set(
                    "accelerators", .str(name), path: config.path("accelerators", default: path))
                if !userSpecified {
                    single.set("_no_missing_accel_warnings", .bool(true), path: path)
                }
                items.append(
                    try ResourceBuilder(shapes: shapes, validator: validator).build(
                        single, path: path))
            }
            return Candidates(items: items, ordered: acceleratorsIsList)
        }
        return Candidates(
            items: [
                try ResourceBuilder(shapes: shapes, validator: validator).build(config, path: path)
            ], ordered: false)
    }

    /// `_override_resources`: each entry shallow-overrides the base; labels merge key by key.
    private func override(_ base: FieldMap, _ group: FieldMap.Entry, path: String)
        throws(FieldError) -> [Resources]
    {
        guard case .list(let entries) = group.value else { return [] }
        var result: [Resources] = []
        for (i, entry) in entries.enumerated() {
            let entryPath = "\(group.path)[\(i)]"
            var merged = base
            var overrideMap = FieldMap(entry, path: entryPath)
            let overrideLabels = overrideMap.remove("labels")
            for e in overrideMap.entries { merged.set(e.key, e.value, path: e.path) }
            let baseLabels = merged["labels"]
            var labels: PyValue = baseLabels ?? .none
            if let baseLabels, case .dict(var pairs) = baseLabels, let extra = overrideLabels,
                !extra.value.isNone
            {
                for (k, v) in extra.value.dictItems ?? [] {
                    if let j = pairs.firstIndex(where: { $0.0 == k }) {
                        pairs[j].1 = v
                    } else {
                        pairs.append((k, v))
                    }
                }
                labels = .dict(pairs)
            } else if let extra = overrideLabels, !extra.value.isNone {
                labels = extra.value
            }
            merged.set(
                "labels", labels, path: overrideLabels?.path ?? merged.path("labels", default: path)
            )
            result += try parse(merged, path: path).items
        }
        return result
    }

    private func applyAliases(_ config: inout FieldMap, path: String) throws(FieldError) {
        guard let gpus = config.remove("gpus") else { return }
        if config.contains("accelerators") {
            throw FieldError(gpus.path, "cannot specify both gpus and accelerators", atKey: true)
        }
        config.set("accelerators", gpus.value, path: gpus.path)
    }

    /// Maps a validator path (built from `path`) back to the entry that supplied the key.
    private func remap(_ violationPath: String, _ config: FieldMap, base: String) -> String {
        let prefix = base.isEmpty ? "" : base + "."
        guard violationPath.hasPrefix(prefix) else { return violationPath }
        let rest = violationPath.dropFirst(prefix.count)
        let key = String(rest.prefix { $0 != "." && $0 != "[" })
        guard let entry = config.entries.first(where: { $0.key == key }) else {
            return violationPath
        }
        return entry.path + rest.dropFirst(key.count)
    }
}

/// Where `memory` comes from when only `instance_type` is given (the catalog's `MemoryGiB`).
public protocol InstanceShapeProvider: Sendable {
    /// vCPUs and memory (GiB) of `instanceType` on `cloud`; nil when unknown.
    func shape(cloud: String, instanceType: String) -> (cpus: Double?, memoryGB: Double?)?
}
