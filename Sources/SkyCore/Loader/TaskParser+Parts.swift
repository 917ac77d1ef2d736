extension TaskParser {
    static let dockerLoginKeys = [
        "SKYPILOT_DOCKER_USERNAME", "SKYPILOT_DOCKER_PASSWORD", "SKYPILOT_DOCKER_SERVER",
    ]

    /// `secrets:` split into inline values and managed references.
    func splitSecrets(
        _ task: inout Task, isList: Bool, listItems: [String], pairs: [(String, String?)]
    ) throws(FieldError) {
        if isList {
            for (i, item) in listItems.enumerated() {
                guard item.hasPrefix("secrets:") else {
                    throw FieldError(
                        "secrets[\(i)]",
                        "invalid secret in list form: \(PyNumber.reprString(item)); list items must use the secrets: prefix (e.g. secrets:HF_TOKEN); for inline values use the mapping form"
                    )
                }
                task.managedSecretRefs.append(Self.secretRef(String(item.dropFirst(8))))
            }
            return
        }
        for (key, value) in pairs {
            if key.hasPrefix("secrets:") {
                guard value == nil else {
                    throw FieldError(
                        "secrets.\(key)",
                        "invalid secret \(PyNumber.reprString(key)): a secret reference (secrets: prefix) must have a null value; remove the prefix to give an inline value"
                    )
                }
                task.managedSecretRefs.append(Self.secretRef(String(key.dropFirst(8))))
            } else if let value {
                task.secrets.append((key, value))
            } else {
                task.managedSecretRefs.append(Self.secretRef(key))
            }
        }
    }

    static func secretRef(_ raw: String, mountPath: String? = nil) -> Task.ManagedSecretRef {
        let name = raw.hasPrefix("secrets:") ? String(raw.dropFirst(8)) : raw
        for scope in ["personal", "workspace", "global"] where name.hasPrefix(scope + ".") {
            return Task.ManagedSecretRef(
                name: String(name.dropFirst(scope.count + 1)), mountPath: mountPath, scope: scope)
        }
        return Task.ManagedSecretRef(name: name, mountPath: mountPath)
    }

    func addManagedSecrets(_ task: inout Task, _ value: PyValue?) throws(FieldError) {
        guard case .list(let entries)? = value else { return }
        for entry in entries {
            switch entry {
            case .str(let s):
                task.managedSecretRefs.append(Self.secretRef(s))
            case .dict(let pairs):
                for (k, opts) in pairs {
                    let mount = opts["mount_path"].flatMap { $0.isNone ? nil : $0.pyStr }
                    task.managedSecretRefs.append(Self.secretRef(k.pyStr, mountPath: mount))
                }
            default:
                break
            }
        }
    }

    /// `_check_docker_login_config`: the three registry variables go together, in envs or secrets.
    func checkDockerLogin(_ task: Task) throws(FieldError) -> Bool {
        let envKeys = Set(task.envs.map(\.0)).intersection(Self.dockerLoginKeys)
        let secretKeys = Set(task.secrets.map(\.0)).intersection(Self.dockerLoginKeys)
        if envKeys.isEmpty, secretKeys.isEmpty { return false }
        if !envKeys.isEmpty, !secretKeys.isEmpty {
            throw FieldError(
                "envs",
                "Docker login variables must be given together either in envs or in secrets, not split across both (envs: \(envKeys.sorted()), secrets: \(secretKeys.sorted()))"
            )
        }
        let present = envKeys.isEmpty ? secretKeys : envKeys
        if present.count != Self.dockerLoginKeys.count {
            let missing = Set(Self.dockerLoginKeys).subtracting(present).sorted()
            throw FieldError(
                envKeys.isEmpty ? "secrets" : "envs",
                "Docker login variables must be given together; missing: \(missing)")
        }
        return true
    }

    /// `Task.set_resources` post-processing: priority consistency, Docker login, RunPod user,
    /// FUSE, legacy autostop hooks.
    func finishResources(_ task: inout Task, mounts: MountParser) throws(FieldError) {
        let priorities = Set(task.resources.compactMap(\.priority))
        if priorities.count > 1 {
            throw FieldError(
                "resources",
                "priority is not consistent across resource candidates: \(priorities.sorted())")
        }
        var values: [String: String] = [:]
        for (k, v) in task.envs { values[k] = v }
        for (k, v) in task.secrets { values[k] = v }
        if try checkDockerLogin(task) {
            let login = Resources.DockerLoginConfig(
                username: values["SKYPILOT_DOCKER_USERNAME"] ?? "",
                password: values["SKYPILOT_DOCKER_PASSWORD"] ?? "",
                server: values["SKYPILOT_DOCKER_SERVER"] ?? "")
            for i in task.resources.indices {
                var r = task.resources[i]
                if r.dockerImage != nil {
                    r.dockerLoginConfig = login
                } else if r.imageID.count == 1, let (key, image) = r.imageID.first,
                    key == r.region || key == nil,
                    image.hasPrefix("docker:")
                {
                    r.imageID = [r.region: image]
                    r.dockerLoginConfig = login
                }
                task.resources[i] = r
            }
        }
        if let user = values["SKYPILOT_RUNPOD_DOCKER_USERNAME"] {
            for i in task.resources.indices { task.resources[i].dockerUsernameForRunpod = user }
        }
        if mounts.needsFuse {
            for i in task.resources.indices { task.resources[i].requiresFuse = true }
        }
        for i in task.resources.indices {
            guard
                case .object(let hook)? = task.resources[i].extra.removeValue(
                    forKey: "_legacy_hook")
            else { continue }
            if i == 0 || task.hooks == nil { task.hooks = (task.hooks ?? []) + [.object(hook)] }
        }
    }
}

/// `config.hooks` entries with their load-time defaults.
enum HookSpecs {
    static func normalize(_ value: PyValue) -> [JSONValue]? {
        guard case .list(let entries) = value, !entries.isEmpty else { return nil }
        return entries.map { entry in
            var out: [(String, JSONValue)] = [("run", (entry["run"] ?? .none).json)]
            if let events = entry["events"], events.isTruthy {
                out.append(("events", events.json))
            } else {
                out.append(
                    ("events", .array([.string("stop"), .string("preemption"), .string("down")])))
            }
            if let timeout = entry["timeout"], !timeout.isNone {
                out.append(("timeout", timeout.json))
            } else {
                out.append(("timeout", .int(3600)))
            }
            return .object(out)
        }
    }
}
