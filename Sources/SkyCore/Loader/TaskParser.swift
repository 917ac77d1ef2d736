/// `Task.from_yaml_config`: one YAML document (already read) to a `Task`.
struct TaskParser {
    let validator: SchemaValidator
    let shapes: (any InstanceShapeProvider)?

    init(shapes: (any InstanceShapeProvider)?, extraBackends: ExtraBackends = .none) {
        self.shapes = shapes
        self.validator = SchemaValidator(extraBackends: extraBackends)
    }

    /// `envOverrides` / `secretOverrides`: nil when none were given (SkyPilot's `None`).
    func parse(
        _ document: PyValue, envOverrides: [(String, String?)]?,
        secretOverrides: [(String, String?)]?
    ) throws(FieldError) -> Task {
        var config = FieldMap(document, path: "")
        // envs / secrets values are stringified before validation.
        if case .dict(let pairs)? = config["envs"] {
            config.set(
                "envs",
                .dict(pairs.map { (.str($0.0.pyStr), $0.1.isNone ? .none : .str($0.1.pyStr)) }),
                path: "envs")
        }
        if let secrets = config["secrets"] {
            if case .dict(let pairs) = secrets {
                config.set(
                    "secrets",
                    .dict(pairs.map { (.str($0.0.pyStr), $0.1.isNone ? .none : .str($0.1.pyStr)) }),
                    path: "secrets")
            } else if case .list(let items) = secrets {
                config.set("secrets", .list(items.map { .str($0.pyStr) }), path: "secrets")
            }
        }
        if let v = validator.validate(config.withoutNone, TaskSchemas.task, path: "") {
            throw FieldError(v.path, v.message, atKey: v.unknownField)
        }

        // CLI overrides.
        var envs: [(String, String?)] = []
        if let overrides = envOverrides {
            guard case .dict(let pairs) = config["envs"] ?? .dict([]) else {
                throw FieldError(
                    "envs", "`envs` has no value; give a mapping of NAME: value (or remove the key)"
                )
            }
            envs = pairs.map { ($0.0.pyStr, $0.1.isNone ? nil : $0.1.pyStr) }
            for (k, v) in overrides { upsert(&envs, k, v) }
        } else if let current = config["envs"] {
            guard case .dict(let pairs) = current else {
                throw FieldError(
                    "envs", "`envs` has no value; give a mapping of NAME: value (or remove the key)"
                )
            }
            envs = pairs.map { ($0.0.pyStr, $0.1.isNone ? nil : $0.1.pyStr) }
        }
        var secretsIsList = false
        var secretPairs: [(String, String?)] = []
        var secretListItems: [String] = []
        switch config["secrets"] {
        case .list(let items)?:
            if let overrides = secretOverrides {
                secretPairs = items.map { ($0.pyStr, nil) }
                for (k, v) in overrides { upsert(&secretPairs, k, v) }
            } else {
                secretsIsList = true
                secretListItems = items.map(\.pyStr)
            }
        case .dict(let pairs)?:
            secretPairs = pairs.map { ($0.0.pyStr, $0.1.isNone ? nil : $0.1.pyStr) }
            for (k, v) in secretOverrides ?? [] { upsert(&secretPairs, k, v) }
        default:
            for (k, v) in secretOverrides ?? [] { upsert(&secretPairs, k, v) }
        }
        let missing = envs.filter { $0.1 == nil }.map(\.0)
        if !missing.isEmpty {
            let names = missing.map(PyNumber.reprString).joined(separator: ", ")
            let flags = missing.map { "--env \($0)=..." }.joined(separator: " ")
            throw FieldError(
                "envs.\(missing[0])",
                "required environment variable\(missing.count > 1 ? "s" : "") \(names) \(missing.count > 1 ? "have" : "has") no value; set \(missing.count > 1 ? "them" : "it") in the task YAML or with \(flags) (use an empty string for an empty value)"
            )
        }
        var substitutionVars: [String: String] = [:]
        for (k, v) in envs { substitutionVars[k] = v }
        for (k, v) in secretPairs { if let v { substitutionVars[k] = v } }
        for key in ["file_mounts", "service", "workdir", "volumes"] {
            guard let value = config[key], !value.isNone else { continue }
            do throws(EnvSubstitution.Failure) {
                config.set(key, try EnvSubstitution.fill(value, substitutionVars), path: key)
            } catch {
                throw FieldError(key, error.message)
            }
        }

        var task = Task()
        task.envs = envs.map { ($0.0, $0.1 ?? "") }
        try splitSecrets(
            &task, isList: secretsIsList, listItems: secretListItems, pairs: secretPairs)
        _ = try checkDockerLogin(task)
        if let name = config["name"], !name.isNone { task.name = name.pyStr }
        if let run = config["run"], !run.isNone { task.run = run.pyStr }
        if let setup = config["setup"], !setup.isNone { task.setup = setup.pyStr }
        if let workdir = config["workdir"], !workdir.isNone {
            if case .dict = workdir {
                task.workdir = .git(
                    url: workdir["url"]?.pyStr ?? "",
                    ref: workdir["ref"].flatMap { $0.isNone ? nil : $0.pyStr })
            } else {
                task.workdir = .path(workdir.pyStr)
            }
        }
        if let nodes = config["num_nodes"], !nodes.isNone {
            guard case .int(let n) = nodes, n > 0 else {
                throw FieldError(
                    "num_nodes", "num_nodes should be a positive integer; got \(nodes.pyRepr)")
            }
            task.numNodes = n
        }
        task.volumes = (config["volumes"].flatMap { $0.isTruthy ? $0 : nil } ?? .dict([])).json
        if let cb = config["event_callback"], !cb.isNone { task.eventCallback = cb.pyStr }
        if let access = config["api_server_access"] {
            task.apiServerAccess = access.isTruthy
        }
        if let mapping = config["file_mounts_mapping"], !mapping.isNone {
            task.fileMountsMapping = mapping.json
        }
        if let meta = config["_metadata"], !meta.isNone { task.metadata = meta.json }
        try addManagedSecrets(&task, config["managed_secrets"])

        var mounts = MountParser(validator: validator)
        if let fm = config["file_mounts"], !fm.isNone {
            try mounts.parse(fm, hasWorkdir: task.workdir != nil)
        }
        task.fileMounts = mounts.fileMounts
        for key in ["inputs", "outputs"] {
            guard let io = config[key] else { continue }
            guard case .dict(let pairs) = io, pairs.count == 1 else {
                throw FieldError(
                    key,
                    "only one \(key == "inputs" ? "input" : "output") is allowed: {uri: size_GB}")
            }
            if key == "inputs" { task.inputs = io.json } else { task.outputs = io.json }
        }

        // config (hooks are task lifecycle metadata; the rest overrides ~/.sky/config.yaml).
        var override = FieldMap(config["config"] ?? .none, path: "config")
        let hooks = override.remove("hooks")
        task.config = config["config"].flatMap { $0.isNone ? nil : $0.json }
        var resources = FieldMap(
            (config["resources"].flatMap { $0.isTruthy ? $0 : nil }) ?? .dict([]), path: "resources"
        )
        if resources.contains("hooks") {
            throw FieldError(
                "resources.hooks",
                "lifecycle hooks live under top-level `config.hooks:`, not `resources.hooks:`; move the list there",
                atKey: true)
        }
        if let hooks, !hooks.value.isNone {
            task.hooks = HookSpecs.normalize(hooks.value)
        }
        if !override.isEmpty {
            if resources["_cluster_config_overrides"].map({ !$0.isNone }) == true {
                throw FieldError(
                    "resources._cluster_config_overrides",
                    "cannot set _cluster_config_overrides in both resources and config")
            }
            resources.set("_cluster_config_overrides", override.value, path: "config")
        }
        if !mounts.volumes.isEmpty {
            resources.set("volumes", .list(mounts.volumes), path: "file_mounts")
        }
        let parsed = try ResourcesParser(validator: validator, shapes: shapes).parse(
            resources, path: "resources")
        task.resources = parsed.items
        task.resourcesOrdered = parsed.ordered
        try finishResources(&task, mounts: mounts)

        let service = config["service"].flatMap { $0.isNone ? nil : $0 }
        let pool = config["pool"].flatMap { $0.isNone ? nil : $0 }
        if service != nil, pool != nil {
            throw FieldError("pool", "cannot set both service and pool in the same task")
        }
        let specParser = ServiceSpecParser(validator: validator)
        if let service {
            task.service = try specParser.parse(service, path: "service")
        } else if let pool {
            let wrapped: PyValue = .dict([(.str("pool"), pool.dictItems != nil ? pool : .dict([]))])
            task.service = try specParser.parse(wrapped, path: "pool")
            task.pool = pool.json
        }
        if let vm = config["volume_mounts"], !vm.isNone { task.volumeMounts = vm.json }
        return task
    }

    private func upsert(_ list: inout [(String, String?)], _ key: String, _ value: String?) {
        if let i = list.firstIndex(where: { $0.0 == key }) {
            list[i].1 = value
        } else {
            list.append((key, value))
        }
    }
}
