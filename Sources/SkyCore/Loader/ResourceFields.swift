import Foundation

/// SkyPilot's parsers for single resource values (`resources_utils`), as pure functions that throw
/// a message on bad input.
enum ResourceFields {
    struct Failure: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    static let memoryUnits: [(String, Double)] = [
        ("kb", 1024), ("ki", 1024), ("mb", 1_048_576), ("mi", 1_048_576), ("gb", 1_073_741_824),
        ("gi", 1_073_741_824), ("tb", 1_099_511_627_776), ("ti", 1_099_511_627_776),
        ("pb", 1_125_899_906_842_624), ("pi", 1_125_899_906_842_624),
    ]

    /// `parse_memory_resource(value, field, ret_type, unit='gb', allow_plus, allow_x)`.
    static func parseMemory(
        _ text: String, field: String, asFloat: Bool, allowPlus: Bool = false, allowX: Bool = false
    ) throws(Failure) -> String {
        let plusHint = allowPlus ? " or \"<number>+\" for \"at least\"" : ""
        let error = Failure(
            "\"\(field)\" should be a number (e.g. \"16\") or \"<number><unit>\" where unit is one of "
                + "KB/MB/GB/TB/PB (e.g. \"16GB\")\(plusHint); got \(PyNumber.reprString(text))")
        var s = text
        var plus = ""
        if s.hasSuffix("+") {
            guard allowPlus else { throw error }
            s.removeLast()
            plus = "+"
        }
        var x = ""
        if s.hasSuffix("x") {
            guard allowX else { throw error }
            s.removeLast()
            x = "x"
        }
        if asFloat ? PyNumber.parseFloat(s) != nil : PyNumber.parseInt(s) != nil {
            return s + plus + x
        }
        let lower = s.lowercased()
        for (unit, multiplier) in memoryUnits where lower.hasSuffix(unit) {
            let number = String(lower.dropLast(unit.count))
            if asFloat {
                guard let v = PyNumber.parseFloat(number) else { continue }
                return PyNumber.repr(v * multiplier / 1_073_741_824) + plus + x
            }
            guard let v = PyNumber.parseInt(number) else { continue }
            let converted = Double(v) * multiplier / 1_073_741_824
            guard converted == converted.rounded(.towardZero), abs(converted) < 9e18 else {
                continue
            }
            return String(Int(converted)) + plus + x
        }
        throw error
    }

    /// `normalize_local_disk`: `mode:size[+]`, `mode` or `size[+]` -> `mode:size[+]`.
    static func normalizeLocalDisk(_ raw: String) throws(Failure) -> String {
        let text = raw.lowercased().trimmingCharacters(in: .whitespacesAndNewlines)
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        func checkSize(_ size: String) throws(Failure) {
            var body = size
            while body.hasSuffix("+") { body.removeLast() }
            guard let v = PyNumber.parseFloat(body), v > 0 else {
                throw Failure(
                    "invalid local_disk \(PyNumber.reprString(text)): expected \"mode:size[+]\", \"mode\" "
                        + "or \"size[+]\"; mode must be \"nvme\" or \"ssd\", size a positive number of GB"
                )
            }
        }
        switch parts.count {
        case 1:
            if parts[0] == "nvme" || parts[0] == "ssd" { return parts[0] + ":100+" }
            try checkSize(parts[0])
            return "nvme:" + parts[0]
        case 2:
            guard parts[0] == "nvme" || parts[0] == "ssd" else {
                throw Failure(
                    "invalid local_disk mode \(PyNumber.reprString(parts[0])): must be \"nvme\" or \"ssd\""
                )
            }
            try checkSize(parts[1])
            return parts[0] + ":" + parts[1]
        default:
            throw Failure(
                "invalid local_disk \(PyNumber.reprString(text)): expected \"mode:size[+]\", \"mode\" or "
                    + "\"size[+]\" (e.g. \"nvme:1000+\", \"ssd:500\", \"nvme\", \"1000+\")")
        }
    }

    /// `Resources.__init__` ports handling: flatten, split on commas, merge into minimal ranges.
    static func simplifyPorts(_ value: PyValue) throws(Failure) -> [String] {
        let items: [PyValue]
        if case .list(let l) = value { items = l } else { items = [.str(value.pyStr)] }
        var tokens: [String] = []
        for item in items {
            for token in item.pyStr.split(separator: ",", omittingEmptySubsequences: false) {
                let t = token.trimmingCharacters(in: .whitespaces)
                if !t.isEmpty { tokens.append(t) }
            }
        }
        var ports = Set<Int>()
        func port(_ s: String, in original: String, range: Bool) throws(Failure) -> Int {
            guard !s.isEmpty, s.allSatisfy({ $0.isASCII && $0.isNumber }), let p = Int(s),
                (1...65535).contains(p)
            else {
                throw Failure(
                    range
                        ? "invalid port range \(original): expected a range like \"1000-2000\" of ports 1-65535"
                        : "invalid port \(original): expected an integer in 1-65535")
            }
            return p
        }
        for token in tokens {
            if token.allSatisfy({ $0.isASCII && $0.isNumber }) {
                ports.insert(try port(token, in: token, range: false))
                continue
            }
            let bounds = token.split(separator: "-", omittingEmptySubsequences: false).map(
                String.init)
            guard bounds.count == 2 else {
                throw Failure(
                    "invalid port range \(token): expected a range like \"1000-2000\" of ports 1-65535"
                )
            }
            let from = try port(bounds[0], in: token, range: true)
            let to = try port(bounds[1], in: token, range: true)
            guard from <= to else {
                throw Failure("invalid port range \(token): the start is greater than the end")
            }
            for p in from...to { ports.insert(p) }
        }
        var ranges: [String] = []
        var start: Int?
        var previous = 0
        for p in ports.sorted() {
            if let s = start, p == previous + 1 {
                previous = p
                _ = s
                continue
            }
            if let s = start { ranges.append(s == previous ? "\(s)" : "\(s)-\(previous)") }
            start = p
            previous = p
        }
        if let s = start { ranges.append(s == previous ? "\(s)" : "\(s)-\(previous)") }
        return ranges
    }

    /// `parse_time_minutes`: plain minutes, or a number with `m`, `h`, `d` or `w`.
    static func parseTimeMinutes(_ text: String) throws(Failure) -> Int {
        if !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }), let v = Int(text) {
            return v
        }
        let lower = text.lowercased()
        for (unit, multiplier) in [("m", 1.0), ("h", 60.0), ("d", 1440.0), ("w", 10080.0)]
        where lower.hasSuffix(unit) {
            guard let v = PyNumber.parseFloat(String(lower.dropLast())) else { continue }
            let minutes = (v * multiplier).rounded(.up)
            if minutes >= 0, minutes < 9e18 { return Int(minutes) }
        }
        throw Failure("invalid time \(PyNumber.reprString(text)): expected minutes or <n>[m|h|d|w]")
    }

    /// GPU memory table (`common/metadata.csv`) for memory-form accelerators (`80GB+`).
    static let gpuMemory: [(name: String, memoryGB: Int, manufacturer: String)] = [
        ("A10", 24, "nvidia"), ("A100", 40, "nvidia"), ("A100-80GB", 80, "nvidia"),
        ("A100-80GB-SXM", 80, "nvidia"), ("A10G", 24, "nvidia"), ("A40", 48, "nvidia"),
        ("A4000", 16, "nvidia"), ("A6000", 48, "nvidia"), ("B200", 80, "nvidia"),
        ("GH200", 80, "nvidia"),
        ("H100", 80, "nvidia"), ("H100-MEGA", 80, "nvidia"), ("H100-NVL", 80, "nvidia"),
        ("H100-NVLINK", 80, "nvidia"), ("H100-SXM", 80, "nvidia"), ("H200", 80, "nvidia"),
        ("H200-SXM", 80, "nvidia"), ("K80", 12, "nvidia"), ("L4", 24, "nvidia"),
        ("L40", 48, "nvidia"),
        ("L40S", 48, "nvidia"), ("M4000", 8, "nvidia"), ("M60", 8, "nvidia"),
        ("P100", 16, "nvidia"),
        ("P4", 8, "nvidia"), ("P4000", 8, "nvidia"), ("RTX3060", 12, "nvidia"),
        ("RTX3080", 10, "nvidia"),
        ("RTX3090", 24, "nvidia"), ("RTX4000-Ada", 20, "nvidia"), ("RTX4090", 24, "nvidia"),
        ("RTX6000", 24, "nvidia"), ("RTX6000-Ada", 48, "nvidia"), ("RTX8000", 48, "nvidia"),
        ("RTXA4000", 16, "nvidia"), ("RTXA4500", 20, "nvidia"), ("RTXA5000", 24, "nvidia"),
        ("RTXA6000", 48, "nvidia"), ("T4", 16, "nvidia"), ("T4g", 16, "nvidia"),
        ("V100", 16, "nvidia"),
        ("V100-32GB", 32, "nvidia"), ("Gaudi HL-205", 32, "intel"), ("MI300X", 192, "amd"),
        ("Radeon MI25", 16, "amd"), ("Radeon Pro V520", 8, "amd"),
    ]

    private static func isMemorySize(_ s: String) -> Bool {
        // ^[0-9]+[GgMmTt][Bb]\+?$
        var body = Substring(s)
        if body.hasSuffix("+") { body = body.dropLast() }
        guard body.count >= 3 else { return false }
        let unit = body.suffix(2)
        let digits = body.dropLast(2)
        return !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber }
            && "GgMmTt".contains(unit.first!) && "Bb".contains(unit.last!)
    }

    /// `Resources._parse_accelerators_from_str`: a name, or a memory form expanded to devices.
    /// Returns `(accelerator string, named by the user)` pairs.
    static func parseAcceleratorString(_ text: String) throws(Failure) -> [(String, Bool)] {
        let split = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        var manufacturer: String?
        var memory: String
        var count = 1
        if split.count == 3 {
            manufacturer = split[0]
            memory = split[1]
            guard let c = PyNumber.parseInt(split[2]) else {
                throw Failure("invalid accelerator count in \(PyNumber.reprString(text))")
            }
            count = c
            guard isMemorySize(memory) else {
                throw Failure(
                    "\(PyNumber.reprString(text)): with a manufacturer, the form is <manufacturer>:<memory>:<count> (e.g. nvidia:80GB:8)"
                )
            }
        } else if split.count == 2, isMemorySize(split[0]) {
            memory = split[0]
            guard let c = PyNumber.parseInt(split[1]) else {
                throw Failure("invalid accelerator count in \(PyNumber.reprString(text))")
            }
            count = c
        } else if split.count == 2, isMemorySize(split[1]) {
            manufacturer = split[0]
            memory = split[1]
        } else if split.count == 1, isMemorySize(split[0]) {
            memory = split[0]
        } else {
            return [(text, true)]
        }
        let parsed = try parseMemory(memory, field: "accelerators", asFloat: false, allowPlus: true)
        let plus = parsed.hasSuffix("+")
        guard let gb = Int(plus ? String(parsed.dropLast()) : parsed) else {
            throw Failure("invalid accelerator memory \(PyNumber.reprString(memory))")
        }
        return gpuMemory.filter { row in
            (plus ? row.memoryGB >= gb : row.memoryGB == gb)
                && (manufacturer == nil || row.manufacturer == manufacturer!.lowercased())
        }.map { ("\($0.name):\(count)", false) }
    }
}
