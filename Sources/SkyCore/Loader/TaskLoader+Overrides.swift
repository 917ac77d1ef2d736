import Foundation

extension TaskLoader {
    /// `--env` / `--env-file` and `--secret` / `--secret-file`, merged with SkyPilot's precedence:
    /// `--env` > `--env-file`; `--secret` > `--secret-file` > `--env-file`.
    static func commandLineVariables(_ o: TaskOverrides, fileName: String, baseDirectory: String)
        throws(TaskError) -> (envs: [(String, String?)], secrets: [(String, String?)])
    {
        func usage(_ message: String) -> TaskError { TaskError(file: fileName, message: message) }
        func pairs(_ items: [String], flag: String) throws(TaskError) -> [(String, String?)] {
            var out: [(String, String?)] = []
            for item in items {
                if let eq = item.firstIndex(of: "=") {
                    out.append((String(item[..<eq]), String(item[item.index(after: eq)...])))
                } else {
                    guard let value = o.processEnvironment[item] else {
                        throw usage(
                            "\(flag) \(item): \(item) is not set in the local environment; use \(flag) \(item)=VALUE"
                        )
                    }
                    out.append((item, value))
                }
            }
            return out
        }
        func file(_ path: String, flag: String) throws(TaskError) -> [(String, String?)] {
            let expanded = (path as NSString).expandingTildeInPath
            let full =
                expanded.hasPrefix("/")
                ? expanded : (baseDirectory as NSString).appendingPathComponent(expanded)
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isDir),
                !isDir.boolValue,
                let data = FileManager.default.contents(atPath: full),
                let text = String(data: data, encoding: .utf8)
            else {
                throw usage(
                    "\(flag) \(path): dotenv file does not exist; give a path to an existing file or remove the flag"
                )
            }
            return DotEnv.parse(text, environment: o.processEnvironment)
        }
        func merge(_ layers: [[(String, String?)]]) -> [(String, String?)] {
            var out: [(String, String?)] = []
            for layer in layers {
                for (k, v) in layer {
                    if let i = out.firstIndex(where: { $0.0 == k }) {
                        out[i].1 = v
                    } else {
                        out.append((k, v))
                    }
                }
            }
            return out
        }
        var envFileLayers: [[(String, String?)]] = []
        for path in o.envFiles { envFileLayers.append(try file(path, flag: "--env-file")) }
        var secretFileLayers: [[(String, String?)]] = []
        for path in o.secretFiles { secretFileLayers.append(try file(path, flag: "--secret-file")) }
        let envs = merge(envFileLayers + [try pairs(o.env, flag: "--env")])
        let secrets = merge(
            envFileLayers + secretFileLayers + [try pairs(o.secret, flag: "--secret")])
        return (envs, secrets)
    }

    /// The task options of `sky launch` (`--cpus`, `--infra`, `--workdir`, ...), applied as
    /// SkyPilot's `set_resources_override`, `update_workdir`, `num_nodes` and `name`.
    static func applyTaskOptions(_ task: inout Task, _ o: TaskOverrides, parser: TaskParser)
        throws(FieldError)
    {
        if o.gitURL != nil, o.workdir != nil {
            throw FieldError("workdir", "cannot specify both --git-url and --workdir")
        }
        switch task.workdir {
        case nil, .path?:
            if let w = o.workdir {
                task.workdir = .path(w)
            } else if let url = o.gitURL {
                task.workdir = .git(url: url, ref: o.gitRef)
            }
        case .git(let url, let ref)?:
            task.workdir = .git(url: o.gitURL ?? url, ref: o.gitRef ?? ref)
        }
        var params: [(String, PyValue?)] = []
        func reset(_ v: String) -> Bool { v.lowercased() == "none" }
        var cloud = o.cloud
        var region = o.region
        var zone = o.zone
        if let infra = o.infra {
            if o.cloud != nil || o.region != nil || o.zone != nil {
                throw FieldError(
                    "resources.infra", "cannot specify both --infra and --cloud, --region or --zone"
                )
            }
            do {
                let spec = try InfraSpec.parse(infra)
                cloud = spec.cloud ?? "*"
                region = spec.region ?? "*"
                zone = spec.zone ?? "*"
            } catch {
                throw FieldError("resources.infra", error.message)
            }
        }
        if let cloud {
            if reset(cloud) || cloud == "*" {
                params.append(("cloud", nil))
            } else {
                let extra = parser.validator.extraBackends
                guard let canonical = InfraSpec.canonicalCloud(cloud, extra: extra) else {
                    let plugins = extra.names.sorted()
                    let installed = plugins.isEmpty ? "" : " or installed plugins \(plugins)"
                    throw FieldError(
                        "resources.cloud",
                        "cloud \(PyNumber.reprString(cloud)) is not a valid cloud among \(InfraSpec.knownClouds)\(installed)"
                            + extra.suggestion(for: cloud))
                }
                params.append(("cloud", .str(canonical)))
            }
        }
        for (key, value) in [("region", region), ("zone", zone)] {
            guard let value else { continue }
            params.append((key, reset(value) || value == "*" ? nil : .str(value)))
        }
        for (key, value) in [
            ("accelerators", o.gpus), ("cpus", o.cpus), ("memory", o.memory),
            ("instance_type", o.instanceType),
            ("image_id", o.imageID), ("disk_tier", o.diskTier), ("network_tier", o.networkTier),
            ("local_disk", o.localDisk), ("disk_size", o.diskSize),
        ] {
            guard let value else { continue }
            params.append((key, reset(value) ? nil : .str(value)))
        }
        if let spot = o.useSpot { params.append(("use_spot", .bool(spot))) }
        if !o.ports.isEmpty {
            if o.ports.contains(where: reset) {
                guard o.ports.count == 1 else {
                    throw FieldError(
                        "resources.ports", "cannot specify both \"none\" and other ports")
                }
                params.append(("ports", nil))
            } else {
                params.append(("ports", .list(o.ports.map(PyValue.str))))
            }
        }
        if let priority = o.priority {
            params.append(("priority", .int(priority)))
            params.append(("priority_class", nil))
        }
        if !params.isEmpty {
            let builder = ResourceBuilder(shapes: parser.shapes, validator: parser.validator)
            for i in task.resources.indices {
                var map = fieldMap(of: task.resources[i])
                for (key, value) in params {
                    if let value {
                        map.set(key, value, path: "resources.\(key)")
                    } else {
                        map.remove(key)
                    }
                }
                task.resources[i] = try builder.build(map, path: "resources")
            }
        }
        if let n = o.numNodes {
            guard n > 0 else {
                throw FieldError("num_nodes", "num_nodes should be a positive integer; got \(n)")
            }
            task.numNodes = n
        }
        if let name = o.name { task.name = name }
    }

    /// A candidate as a config mapping that `ResourceBuilder` rebuilds it from (`Resources.copy`).
    static func fieldMap(of r: Resources) -> FieldMap {
        var map = FieldMap(PyValue(json: r.yamlConfig(redactSecrets: false)), path: "resources")
        map.remove("infra")
        if let cloud = r.cloud { map.set("cloud", .str(cloud), path: "resources.cloud") }
        if let region = r.region { map.set("region", .str(region), path: "resources.region") }
        if let zone = r.zone { map.set("zone", .str(zone), path: "resources.zone") }
        if map.contains("image_id") {
            var pairs: [(PyValue, PyValue)] = r.imageID.map {
                ($0.key.map(PyValue.str) ?? .none, .str($0.value))
            }
            if let docker = r.dockerImage { pairs.append((.str("docker"), .str(docker))) }
            map.set("image_id", .dict(pairs), path: "resources.image_id")
        }
        if let acc = r.accelerator {
            map.set(
                "accelerators", .str("\(acc.name):\(PyNumber.formatCount(acc.count))"),
                path: "resources.accelerators")
        }
        if r.memory == nil, r.memoryText != nil, !(r.memoryText!.hasSuffix("x")) {
            map.remove("memory")
        }
        return map
    }
}
