import Foundation

extension Task {
    /// The checks `sky launch` runs before any cloud call (SkyPilot's `expand_and_validate_workdir`,
    /// `expand_and_validate_file_mounts`, `validate_name`, `validate_run`), in that order.
    /// Catalog checks of the resources (accelerator names, regions, instance types) are the
    /// optimizer's. The error's `stage` is `workdir`, `file_mounts`, `name` or `run`.
    public func validateForLaunch() throws(TaskError) {
        let file = name ?? "task"
        func fail(_ stage: String, _ path: String, _ message: String) -> TaskError {
            TaskError(file: file, fieldPath: path, message: message, stage: stage)
        }
        if case .path(let dir)? = workdir {
            var isDir: ObjCBool = false
            let full = expandLocalPath(dir)
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isDir), isDir.boolValue
            else {
                throw fail(
                    "workdir", "workdir",
                    "workdir must be an existing directory (or a symlink to one); \(dir) not found")
            }
        }
        for (dst, mount) in fileMounts {
            let source: String
            switch mount {
            case .local(let s), .uri(let s): source = s
            case .storage: continue
            }
            let path = YAMLReader.childPath("file_mounts", dst)
            if dst.hasSuffix("/") {
                throw fail("file_mounts", path, "mount paths cannot end with a slash; found \(dst)")
            }
            if dst == "~/sky_workdir", workdir != nil {
                throw fail(
                    "file_mounts", path,
                    "cannot use '~/sky_workdir' as a file mount destination: the workdir is synced there; give the full path of the file or folder instead"
                )
            }
            if source.hasSuffix("/") {
                throw fail(
                    "file_mounts", path, "mount paths cannot end with a slash; found \(source)")
            }
            if MountParser.isCloudURL(dst) {
                throw fail(
                    "file_mounts", path, "file mount destination paths cannot be cloud storage")
            }
            if !MountParser.isCloudURL(source), !source.hasPrefix("skypilot:") {
                guard FileManager.default.fileExists(atPath: expandLocalPath(source)) else {
                    throw fail(
                        "file_mounts", path,
                        "file mount source \(PyNumber.reprString(source)) does not exist locally; check the path"
                    )
                }
            }
        }
        if let name, !Task.isValidName(name) {
            throw fail(
                "name", "name",
                "invalid task name \(name): use ASCII letters, digits, underscores, periods and dashes, starting and ending with a letter or digit, with at most two separators in a row"
            )
        }
    }

    /// `[a-zA-Z0-9]+(?:[._-]{1,2}[a-zA-Z0-9]+)*`, matched in full.
    public static func isValidName(_ name: String) -> Bool {
        func alnum(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber) }
        let chars = Array(name)
        guard let first = chars.first, alnum(first), let last = chars.last, alnum(last) else {
            return false
        }
        var run = 0
        for c in chars {
            if alnum(c) {
                run = 0
            } else if c == "." || c == "_" || c == "-" {
                run += 1
                if run > 2 { return false }
            } else {
                return false
            }
        }
        return true
    }

    /// `~` expanded, relative paths resolved against `baseDirectory` (the caller's directory).
    public func expandLocalPath(_ path: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return (expanded as NSString).standardizingPath }
        let base = baseDirectory ?? FileManager.default.currentDirectoryPath
        return ((base as NSString).appendingPathComponent(expanded) as NSString).standardizingPath
    }
}
