extension TaskLoader {
    /// `dag_utils.load_chain_dag_from_yaml` / `load_job_group_from_yaml`.
    static func loadMulti(
        _ docs: [YAMLDocument], parser: TaskParser, envs: [(String, String?)]?,
        secrets: [(String, String?)]?,
        current: inout YAMLDocument?
    ) throws(FieldError) -> TaskDocument {
        let configs =
            docs.isEmpty ? [YAMLDocument(value: .dict([]), marks: [:], keyMarks: [:])] : docs
        current = configs.first
        if docs.count >= 2, let header = configs.first {
            guard header.value.isNone || header.value.dictItems != nil else {
                throw FieldError(
                    "", "the first document must be a mapping (a pipeline header or a task)")
            }
            if header.value["execution"] == .str("parallel") {
                return try loadJobGroup(
                    configs, parser: parser, envs: envs, secrets: secrets, current: &current)
            }
        }
        if !configs.contains(where: { $0.value.isTruthy }) {
            throw FieldError(
                "",
                "the file is empty or contains no task definition; add at least a `run:` (or `setup:`) field"
            )
        }
        var taskDocs = configs
        var dagName: String?
        if let first = configs.first {
            guard first.value.isNone || first.value.dictItems != nil else {
                throw FieldError(
                    "", "the file must be a mapping of task fields; got a \(first.value.typeName)")
            }
            let keys = Set((first.value.dictItems ?? []).map { $0.0.pyStr })
            if keys == ["name"] || keys == ["name", "execution"] {
                dagName = first.value["name"].flatMap { $0.isNone ? nil : $0.pyStr }
                if let execution = first.value["execution"], !execution.isNone,
                    execution != .str("serial")
                {
                    throw FieldError(
                        "execution",
                        "invalid execution mode for a pipeline: \(execution.pyRepr); pipelines use `execution: serial` (or omit it); use `execution: parallel` for job groups"
                    )
                }
                taskDocs = Array(configs.dropFirst())
            } else if configs.count == 1 {
                dagName = first.value["name"].flatMap { $0.isNone ? nil : $0.pyStr }
            }
        }
        var tasks: [Task] = []
        if taskDocs.isEmpty {
            var t = Task()
            t.name = dagName
            tasks.append(
                try parser.parse(
                    .dict(dagName.map { [(.str("name"), .str($0))] } ?? [(.str("name"), .none)]),
                    envOverrides: envs, secretOverrides: secrets))
            _ = t
        }
        for doc in taskDocs {
            current = doc
            if doc.value.isNone { continue }
            guard doc.value.dictItems != nil else {
                throw FieldError(
                    "",
                    "every document must be a mapping of task fields; got a \(doc.value.typeName)")
            }
            tasks.append(try parser.parse(doc.value, envOverrides: envs, secretOverrides: secrets))
        }
        if docs.count <= 1, let only = tasks.first { return .task(only) }
        return .dag(name: dagName, tasks: tasks)
    }

    private static func loadJobGroup(
        _ configs: [YAMLDocument], parser: TaskParser, envs: [(String, String?)]?,
        secrets: [(String, String?)]?,
        current: inout YAMLDocument?
    ) throws(FieldError) -> TaskDocument {
        let header = configs[0].value
        guard let groupName = header["name"], !groupName.isNone else {
            throw FieldError("", "the job group header needs a `name`")
        }
        guard case .str(let name) = groupName, !name.isEmpty,
            name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        else {
            throw FieldError(
                "name",
                "invalid job group name \(groupName.pyRepr): use only letters, digits, hyphens and underscores"
            )
        }
        var names: [String] = []
        var tasks: [Task] = []
        for (i, doc) in configs.dropFirst().enumerated() {
            current = doc
            if doc.value.isNone { continue }
            guard doc.value.dictItems != nil else {
                throw FieldError(
                    "", "every job must be a mapping of task fields; got a \(doc.value.typeName)")
            }
            guard let jobName = doc.value["name"], !jobName.isNone else {
                throw FieldError("", "job \(i + 1) in the job group needs a \"name\" field")
            }
            let jn = jobName.pyStr
            guard jn.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                throw FieldError(
                    "name",
                    "invalid job name \(PyNumber.reprString(jn)): use only letters, digits, hyphens and underscores"
                )
            }
            if names.contains(jn) {
                throw FieldError("name", "duplicate job name in the job group: \(jn)")
            }
            names.append(jn)
            var task = try parser.parse(doc.value, envOverrides: envs, secretOverrides: secrets)
            task.name = jn
            tasks.append(task)
        }
        current = configs[0]
        if let primary = header["primary_tasks"], !primary.isNone {
            guard case .list(let items) = primary else {
                throw FieldError("primary_tasks", "primary_tasks must be a list of job names")
            }
            for item in items {
                guard case .str(let s) = item, names.contains(s) else {
                    throw FieldError(
                        "primary_tasks",
                        "primary_tasks references an unknown job: \(item.pyStr); jobs: \(names.sorted())"
                    )
                }
            }
        }
        if let delay = header["termination_delay"], !delay.isNone {
            func check(_ v: PyValue, _ field: String) throws(FieldError) {
                let text = v.pyStr
                let units = "smhdw"
                var body = Substring(text)
                if let last = body.last, units.contains(last.lowercased()) {
                    body = body.dropLast()
                }
                guard !body.isEmpty, body.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                    throw FieldError(
                        "termination_delay",
                        "invalid time duration for \(field): \(PyNumber.reprString(text)); expected NUMBER[s|m|h|d|w]"
                    )
                }
            }
            switch delay {
            case .str, .int: try check(delay, "termination_delay")
            case .dict(let pairs):
                for (k, v) in pairs {
                    guard case .str(let key) = k, key == "default" || names.contains(key) else {
                        throw FieldError(
                            "termination_delay",
                            "termination_delay references an unknown job: \(k.pyStr)")
                    }
                    try check(v, "termination_delay[\(key)]")
                }
            default:
                throw FieldError(
                    "termination_delay", "termination_delay must be a string, int or mapping")
            }
        }
        if let ic = header["inter_connection"], !ic.isNone {
            guard case .bool = ic else {
                throw FieldError("inter_connection", "inter_connection must be a boolean")
            }
        }
        return .dag(name: name, tasks: tasks)
    }
}
