import Foundation

/// Finds cloud credentials where each provider's own tools put them (reference 9), without
/// network calls, and says exactly what is missing or malformed. Never returns a secret.
/// Clouds without a backend in this build report "credentials found; no backend in this build".
package struct CredentialProbes: Sendable {
    package var userHome: String
    package var environment: [String: String]

    package init(userHome: String, environment: [String: String]) {
        self.userHome = userHome
        self.environment = environment
    }

    static let noBackend = "no backend in this build"

    /// Cloud probes by registry name.
    package var probes: [CheckProbe] {
        [
            CheckProbe(backend: "aws", displayName: "AWS") { aws() },
            CheckProbe(backend: "gcp", displayName: "GCP") { gcp() },
            CheckProbe(backend: "azure", displayName: "Azure") { azure() },
            CheckProbe(backend: "lambda", displayName: "Lambda") { lambda() },
            CheckProbe(backend: "runpod", displayName: "RunPod") { runpod() },
            CheckProbe(backend: "kubernetes", displayName: "Kubernetes") { kubernetes() },
        ]
    }

    private func found(_ backend: String, _ display: String, _ what: String) -> CheckOutcome {
        .disabled(
            backend, display, "credentials found (\(what)); \(Self.noBackend).",
            hint: "This build of sky cannot launch on \(display) yet.")
    }

    private func path(_ relative: String) -> String { userHome + "/" + relative }

    private func read(_ file: String) -> String? { try? String(contentsOfFile: file, encoding: .utf8) }

    // MARK: AWS

    package func aws() -> CheckOutcome {
        let hint = "Run 'aws configure', or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY."
        let hasID = !(environment["AWS_ACCESS_KEY_ID"] ?? "").isEmpty
        let hasSecret = !(environment["AWS_SECRET_ACCESS_KEY"] ?? "").isEmpty
        if hasID && hasSecret { return found("aws", "AWS", "AWS_ACCESS_KEY_ID environment variables") }
        if hasID != hasSecret {
            return .disabled(
                "aws", "AWS",
                "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must both be set; only "
                    + (hasID ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY") + " is.", hint: hint)
        }
        let file = environment["AWS_SHARED_CREDENTIALS_FILE"] ?? path(".aws/credentials")
        let profile = environment["AWS_PROFILE"] ?? "default"
        guard let text = read(file) else {
            return .disabled("aws", "AWS", "AWS credentials are not set (no \(file)).", hint: hint)
        }
        let sections = INISections.parse(text)
        guard let section = sections[profile] else {
            return .disabled(
                "aws", "AWS", "\(file) has no [\(profile)] profile.", hint: hint)
        }
        let missing = ["aws_access_key_id", "aws_secret_access_key"].filter {
            (section[$0] ?? "").isEmpty
        }
        guard missing.isEmpty else {
            return .disabled(
                "aws", "AWS",
                "Profile [\(profile)] of \(file) is missing \(missing.joined(separator: " and ")).",
                hint: hint)
        }
        return found("aws", "AWS", "profile [\(profile)] in \(file)")
    }

    // MARK: GCP

    package func gcp() -> CheckOutcome {
        let hint = "Run 'gcloud auth application-default login', or set GOOGLE_APPLICATION_CREDENTIALS to a service-account key file."
        let config = environment["CLOUDSDK_CONFIG"] ?? path(".config/gcloud")
        let file = environment["GOOGLE_APPLICATION_CREDENTIALS"]
            ?? config + "/application_default_credentials.json"
        guard let data = FileManager.default.contents(atPath: file) else {
            return .disabled(
                "gcp", "GCP", "GCP credentials are not set (no \(file)).", hint: hint)
        }
        guard let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            return .disabled("gcp", "GCP", "\(file) is not valid JSON.", hint: hint)
        }
        let type = json["type"] as? String ?? ""
        let required: [String] =
            switch type {
            case "service_account": ["client_email", "private_key", "project_id"]
            case "authorized_user": ["client_id", "client_secret", "refresh_token"]
            case "external_account": ["audience", "credential_source"]
            default: []
            }
        guard !required.isEmpty else {
            return .disabled(
                "gcp", "GCP",
                "\(file) has an unknown credential type '\(type)' (expected service_account or authorized_user).",
                hint: hint)
        }
        let missing = required.filter { json[$0] == nil }
        guard missing.isEmpty else {
            return .disabled(
                "gcp", "GCP", "\(file) (\(type)) is missing \(missing.joined(separator: ", ")).",
                hint: hint)
        }
        let who = (json["client_email"] as? String).map { ", \($0)" } ?? ""
        return found("gcp", "GCP", "\(type) in \(file)\(who)")
    }

    // MARK: Azure

    package func azure() -> CheckOutcome {
        let hint = "Run 'az login'."
        let dir = environment["AZURE_CONFIG_DIR"] ?? path(".azure")
        let file = dir + "/msal_token_cache.json"
        guard let data = FileManager.default.contents(atPath: file) else {
            return .disabled("azure", "Azure", "Azure credentials are not set (no \(file)).", hint: hint)
        }
        guard let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            return .disabled("azure", "Azure", "\(file) is not valid JSON.", hint: hint)
        }
        let tokens = ["AccessToken", "RefreshToken"].reduce(0) {
            $0 + ((json[$1] as? [String: Any])?.count ?? 0)
        }
        guard tokens > 0 else {
            return .disabled("azure", "Azure", "\(file) holds no token; the login expired or never completed.", hint: hint)
        }
        return found("azure", "Azure", "token cache \(file)")
    }

    // MARK: Lambda

    package func lambda() -> CheckOutcome {
        let file = path(".lambda_cloud/lambda_keys")
        let hint = "Put 'api_key = <your key>' in \(file) (from the Lambda Cloud dashboard)."
        guard let text = read(file) else {
            return .disabled("lambda", "Lambda", "Lambda credentials are not set (no \(file)).", hint: hint)
        }
        let key = KeyValueLines.value(of: "api_key", in: text)
        guard let key, !key.isEmpty else {
            return .disabled("lambda", "Lambda", "\(file) has no 'api_key = ...' line.", hint: hint)
        }
        return found("lambda", "Lambda", "api_key in \(file)")
    }

    // MARK: RunPod

    package func runpod() -> CheckOutcome {
        let file = path(".runpod/config.toml")
        let hint = "Run 'runpod config', or put 'api_key = \"...\"' under [default] in \(file)."
        guard let text = read(file) else {
            return .disabled("runpod", "RunPod", "RunPod credentials are not set (no \(file)).", hint: hint)
        }
        let profile = environment["RUNPOD_PROFILE"] ?? "default"
        let sections = INISections.parse(text)
        let key = sections[profile]?["api_key"] ?? sections[""]?["api_key"]
        guard let key, !key.isEmpty else {
            return .disabled(
                "runpod", "RunPod", "\(file) has no api_key in profile [\(profile)].", hint: hint)
        }
        return found("runpod", "RunPod", "profile [\(profile)] in \(file)")
    }

    // MARK: Kubernetes

    package func kubernetes() -> CheckOutcome {
        let files = (environment["KUBECONFIG"].map { $0.split(separator: ":").map(String.init) })
            ?? [path(".kube/config")]
        let hint = "Create a kubeconfig (~/.kube/config or $KUBECONFIG) with at least one context."
        let existing = files.filter { FileManager.default.fileExists(atPath: $0) }
        guard !existing.isEmpty else {
            return .disabled(
                "kubernetes", "Kubernetes",
                "No kubeconfig found (\(files.joined(separator: ", "))).", hint: hint)
        }
        var contexts: [String] = []
        for file in existing { contexts += KeyValueLines.kubeContexts(read(file) ?? "") }
        guard !contexts.isEmpty else {
            return .disabled(
                "kubernetes", "Kubernetes",
                "\(existing.joined(separator: ", ")) defines no context.", hint: hint)
        }
        var outcome = found(
            "kubernetes", "Kubernetes", "\(contexts.count) context(s) in \(existing.joined(separator: ", "))")
        outcome.treeTitle = "Allowed contexts:"
        outcome.tree = contexts.map { "\($0): disabled. Reason: \(Self.noBackend)." }
        return outcome
    }
}
