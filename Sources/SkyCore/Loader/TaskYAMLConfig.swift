extension Resources {
    /// SkyPilot's `Resources.to_yaml_config()`.
    public func yamlConfig(redactSecrets: Bool = true) -> JSONValue {
        var c: [(String, JSONValue)] = []
        func add(_ key: String, _ value: JSONValue?) {
            if let value, value != .null { c.append((key, value)) }
        }
        add("infra", InfraSpec(cloud: cloud, region: region, zone: zone).text.map(JSONValue.string))
        add("instance_type", instanceType.map(JSONValue.string))
        add("cpus", cpusText.map(JSONValue.string))
        add("memory", memoryText.map(JSONValue.string))
        if let accelerator {
            let count: JSONValue =
                accelerator.count == accelerator.count.rounded() && abs(accelerator.count) < 1e18
                ? .int(Int(accelerator.count)) : .double(accelerator.count)
            add("accelerators", .object([(accelerator.name, count)]))
        }
        add("accelerator_args", acceleratorArgs)
        if useSpotSpecified { add("use_spot", .bool(useSpot)) }
        add("job_recovery", jobRecovery)
        add("disk_size", diskSize.map(JSONValue.int))
        var images = imageID.map {
            (PyValue.jsonKey($0.key.map(PyValue.str) ?? .none), JSONValue.string($0.value))
        }
        .sorted { $0.0 < $1.0 }
        if let dockerImage { images.append(("docker", .string(dockerImage))) }
        if !imageID.isEmpty || dockerImage != nil { add("image_id", .object(images)) }
        add("disk_tier", diskTier.map(JSONValue.string))
        add("network_tier", networkTier.map(JSONValue.string))
        add("local_disk", localDisk.map(JSONValue.string))
        add("max_hourly_cost", maxHourlyCost.map(JSONValue.double))
        if !ports.isEmpty { add("ports", .array(ports.map(JSONValue.string))) }
        if labelsSpecified || !labels.isEmpty {
            add(
                "labels",
                .object(labels.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))
        }
        if let volumes { add("volumes", .array(volumes)) }
        if autostopDisabled {
            add("autostop", .bool(false))
        } else if let autostop {
            var a: [(String, JSONValue)] = [
                ("idle_minutes", .int(autostop.idleMinutes)), ("down", .bool(autostop.down)),
            ]
            if autostop.waitForSpecified { a.append(("wait_for", .string(autostop.waitFor))) }
            add("autostop", .object(a))
        }
        if let noMissingAccelWarnings {
            add("_no_missing_accel_warnings", .bool(noMissingAccelWarnings))
        }
        add("priority", priority.map(JSONValue.int))
        add("priority_class", priorityClass.map(JSONValue.string))
        if let login = dockerLoginConfig {
            add(
                "_docker_login_config",
                .object([
                    ("username", .string(login.username)),
                    ("password", .string(redactSecrets ? Redactor.placeholder : login.password)),
                    ("server", .string(login.server)),
                ]))
        }
        add("_docker_username_for_runpod", dockerUsernameForRunpod.map(JSONValue.string))
        add("_cluster_config_overrides", clusterConfigOverrides)
        add("_is_image_managed", extra["_is_image_managed"])
        add("_requires_fuse", requiresFuse.map(JSONValue.bool))
        return .object(c)
    }
}

extension Task {
    /// SkyPilot's `Task.to_yaml_config()` (what `sky validate -o json` prints under `task`).
    /// Inline secret values are replaced by `<redacted>` unless `redactSecrets` is false.
    public func yamlConfig(redactSecrets: Bool = true) -> JSONValue {
        var c: [(String, JSONValue)] = []
        if let name { c.append(("name", .string(name))) }
        if resources.count > 1 {
            c.append(
                (
                    "resources",
                    .object([
                        (
                            resourcesOrdered ? "ordered" : "any_of",
                            .array(resources.map { $0.yamlConfig(redactSecrets: redactSecrets) })
                        )
                    ])
                ))
        } else if let only = resources.first {
            c.append(("resources", only.yamlConfig(redactSecrets: redactSecrets)))
        }
        if let hooks, !hooks.isEmpty { c.append(("config", .object([("hooks", .array(hooks))]))) }
        if let service { c.append(("service", service)) }
        c.append(("num_nodes", .int(numNodes)))
        if let inputs { c.append(("inputs", inputs)) }
        if let outputs { c.append(("outputs", outputs)) }
        if let setup { c.append(("setup", .string(setup))) }
        switch workdir {
        case .path(let p)?: c.append(("workdir", .string(p)))
        case .git(let url, let ref)?:
            var w: [(String, JSONValue)] = [("url", .string(url))]
            if let ref { w.append(("ref", .string(ref))) }
            c.append(("workdir", .object(w)))
        case nil: break
        }
        if let eventCallback { c.append(("event_callback", .string(eventCallback))) }
        if let run { c.append(("run", .string(run))) }
        if !envs.isEmpty { c.append(("envs", .object(envs.map { ($0.0, .string($0.1)) }))) }
        let inline = secrets.map {
            ($0.0, JSONValue.string(redactSecrets ? Redactor.placeholder : $0.1))
        }
        if managedSecretRefs.isEmpty {
            if !inline.isEmpty { c.append(("secrets", .object(inline))) }
        } else {
            var refs: [String] = []
            var managedField: [JSONValue] = []
            for ref in managedSecretRefs {
                let prefix = ref.scope.map { $0 + "." } ?? ""
                if let mount = ref.mountPath {
                    managedField.append(
                        .object([(prefix + ref.name, .object([("mount_path", .string(mount))]))]))
                } else {
                    refs.append("secrets:" + prefix + ref.name)
                }
            }
            if !inline.isEmpty {
                c.append(("secrets", .object(inline)))
                managedField += refs.map(JSONValue.string)
            } else if !refs.isEmpty {
                c.append(("secrets", .array(refs.map(JSONValue.string))))
            }
            if !managedField.isEmpty { c.append(("managed_secrets", .array(managedField))) }
        }
        var mounts: [(String, JSONValue)] = []
        for (dst, mount) in fileMounts {
            let value: JSONValue
            switch mount {
            case .local(let p), .uri(let p): value = .string(p)
            case .storage(let s): value = s
            }
            if let i = mounts.firstIndex(where: { $0.0 == dst }) {
                mounts[i].1 = value
            } else {
                mounts.append((dst, value))
            }
        }
        c.append(("file_mounts", .object(mounts)))
        if let fileMountsMapping { c.append(("file_mounts_mapping", fileMountsMapping)) }
        c.append(("volumes", volumes ?? .object([])))
        if let volumeMounts { c.append(("volume_mounts", volumeMounts)) }
        if !apiServerAccess { c.append(("api_server_access", .bool(false))) }
        if let metadata, metadata != .object([]) { c.append(("_metadata", metadata)) }
        return .object(c)
    }
}

extension TaskDocument {
    /// `{"ok": true, "task": ...}` or `{"ok": true, "dag": {"name": ..., "tasks": [...]}}`.
    public func validateJSON() -> JSONValue {
        switch self {
        case .task(let task):
            return .object([("ok", .bool(true)), ("task", task.yamlConfig())])
        case .dag(let name, let tasks):
            let dag: JSONValue = .object([
                ("name", name.map(JSONValue.string) ?? .null),
                ("tasks", .array(tasks.map { $0.yamlConfig() })),
            ])
            return .object([("ok", .bool(true)), ("dag", dag)])
        }
    }
}
