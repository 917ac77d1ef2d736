/// `Resources._set_accelerators`: `NAME` / `NAME:COUNT` to one accelerator; TPUs pick GCP (or
/// Kubernetes for GKE TPU names) and get a default `runtime_version`.
enum AcceleratorSetter {
    static let gkeTPUs: Set<String> = [
        "tpu-v4-podslice", "tpu-v5-lite-device", "tpu-v5-lite-podslice", "tpu-v5p-slice",
        "tpu-v6e-slice",
    ]

    static func set(_ r: inout Resources, _ value: PyValue?, args: PyValue?, path: String)
        throws(FieldError)
    {
        var acceleratorArgs: [(PyValue, PyValue)]? = args?.dictItems
        guard let value else {
            r.acceleratorArgs = acceleratorArgs.map { PyValue.dict($0).json }
            return
        }
        guard case .str(let text) = value else {
            throw FieldError(
                path, "accelerators must be a name or a list/set of names; got \(value.typeName)")
        }
        let formError = FieldError(
            path,
            "accelerators should be <name> or <name>:<count>; got \(PyNumber.reprString(text))")
        var name = text
        var count = 1.0
        if text.contains(":") {
            let splits = text.split(separator: ":", omittingEmptySubsequences: false)
            guard splits.count == 2, let n = PyNumber.parseFloat(String(splits[1])) else {
                throw formError
            }
            name = String(splits[0])
            count = n
        }
        guard !(count <= 0) else {
            throw FieldError(
                path,
                "accelerator count must be a positive number; got \(PyNumber.reprString(name)): \(PyNumber.formatCount(count))"
            )
        }
        if name.lowercased().contains("tpu") {
            if r.cloud == nil {
                r.cloud = gkeTPUs.contains(name) ? "kubernetes" : "gcp"
            }
            guard r.cloud == "gcp" || r.cloud == "kubernetes" else {
                throw FieldError(
                    path, "TPU accelerators need infra gcp or kubernetes; got \(r.cloud ?? "any")")
            }
            var argsPairs = acceleratorArgs ?? []
            let tpuVM: Bool
            if case .bool(let b)? = argsPairs.first(where: { $0.0 == .str("tpu_vm") })?.1 {
                tpuVM = b
            } else {
                tpuVM = true
            }
            if r.cloud == "gcp", !gkeTPUs.contains(name) {
                if !argsPairs.contains(where: { $0.0 == .str("runtime_version") }) {
                    let runtime: String
                    if !tpuVM {
                        runtime = "2.12.0"
                    } else if name.hasPrefix("tpu-v5") {
                        runtime = "v2-alpha-tpuv5"
                    } else if name.hasPrefix("tpu-v6e") {
                        runtime = "v2-alpha-tpuv6e"
                    } else {
                        runtime = "tpu-vm-base"
                    }
                    argsPairs.append((.str("runtime_version"), .str(runtime)))
                }
                if let type = r.instanceType, tpuVM, type != "TPU-VM" {
                    throw FieldError(
                        path,
                        "cannot specify instance type (got \(PyNumber.reprString(type))) for a TPU VM"
                    )
                }
            }
            acceleratorArgs = argsPairs
        }
        r.accelerator = Resources.Accelerator(name: name, count: count)
        r.acceleratorArgs = acceleratorArgs.map { PyValue.dict($0).json }
    }
}

/// `AutostopConfig.from_yaml_config` plus the legacy `autostop.hook` conversion.
enum AutostopParser {
    static func apply(_ r: inout Resources, _ value: PyValue, path: String) throws(FieldError) {
        switch value {
        case .bool(let b):
            if b {
                r.autostop = Resources.Autostop(idleMinutes: 0)
            } else {
                r.autostopDisabled = true
            }
        case .int(let minutes):
            r.autostop = Resources.Autostop(idleMinutes: minutes)
        case .str(let text):
            do {
                r.autostop = Resources.Autostop(
                    idleMinutes: try ResourceFields.parseTimeMinutes(text))
            } catch {
                throw FieldError(path, error.message)
            }
        case .dict:
            var autostop = Resources.Autostop(idleMinutes: 0)
            if case .int(let m)? = value["idle_minutes"] { autostop.idleMinutes = m }
            if case .bool(let d)? = value["down"] { autostop.down = d }
            if case .str(let w)? = value["wait_for"] {
                autostop.waitFor = w.lowercased()
                autostop.waitForSpecified = true
            }
            r.autostop = autostop
            if let hook = value["hook"], !hook.isNone {
                var entry: [(PyValue, PyValue)] = [
                    (.str("run"), hook),
                    (.str("events"), .list([.str(autostop.down ? "down" : "stop")])),
                ]
                if let timeout = value["hook_timeout"], !timeout.isNone {
                    entry.append((.str("timeout"), timeout))
                } else {
                    entry.append((.str("timeout"), .int(3600)))
                }
                r.extra["_legacy_hook"] = PyValue.dict(entry).json
            }
        default:
            break
        }
    }
}
