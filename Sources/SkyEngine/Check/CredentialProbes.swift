import Foundation

/// Finds cloud credentials where each provider's own tools put them (reference 9), without
/// network calls, and says exactly what is missing or malformed. Never returns a secret.
/// Clouds without a backend in this build say what was found and that no backend is
/// registered (nothing can verify the credentials with a call).
package struct CredentialProbes: Sendable {
    package var userHome: String
    package var environment: [String: String]

    package init(userHome: String, environment: [String: String]) {
        self.userHome = userHome
        self.environment = environment
    }

    static let noBackend = "no backend is registered for it in this build"

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
            backend, display, "credentials found (\(what)), not verified: \(Self.noBackend).",
            hint: "Nothing to fix on your side: this build of sky cannot launch on \(display) yet.")
    }

    private func path(_ relative: String) -> String { userHome + "/" + relative }

    private func read(_ file: String) -> String? {
        try? String(contentsOfFile: file, encoding: .utf8)
    }

    // MARK: AWS

    package func aws() -> CheckOutcome {
        let hint = "Run 'aws configure', or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY."
        let hasID = !(environment["AWS_ACCESS_KEY_ID"] ?? "").isEmpty
        let hasSecret = !(environment["AWS_SECRET_ACCESS_KEY"] ?? "").isEmpty
        if hasID && hasSecret {
            return found("aws", "AWS", "AWS_ACCESS_KEY_ID environment variables")
        }
        if hasID != hasSecret {
            return .disabled(
                "aws", "AWS",
                "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must both be set; only "
                    + (hasID ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY") + " is.", hint: hint)
        }
        let file = environment["AWS_SHARED_CREDENTIALS_FILE"] ?? path(".aws/credentials")
        let configFile = environment["AWS_CONFIG_FILE"] ?? path(".aws/config")
        let profile = environment["AWS_PROFILE"] ?? "default"
        let configProfile = read(configFile).map(INISections.parse)?[profile] ?? [:]
        guard let text = read(file) else {
            if let kind = Self.awsConfigCredentials(configProfile) {
                return found("aws", "AWS", "\(kind) in profile [\(profile)] of \(configFile)")
            }
            return .disabled("aws", "AWS", "AWS credentials are not set (no \(file)).", hint: hint)
        }
        if let line = INISections.firstMalformedLine(text) {
            return .disabled(
                "aws", "AWS",
                "\(file) is malformed: line \(line) is neither [section] nor key = value.",
                hint: hint)
        }
        let sections = INISections.parse(text)
        guard let section = sections[profile] else {
            if let kind = Self.awsConfigCredentials(configProfile) {
                return found("aws", "AWS", "\(kind) in profile [\(profile)] of \(configFile)")
            }
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
        let temporary = (section["aws_session_token"] ?? "").isEmpty ? "" : ", temporary session"
        return found("aws", "AWS", "profile [\(profile)] in \(file)\(temporary)")
    }

    /// Credentials `~/.aws/config` can give a profile without a key pair: SSO, a role, a
    /// credential process (what kind, never a value).
    static func awsConfigCredentials(_ profile: [String: String]) -> String? {
        if profile["sso_start_url"] != nil || profile["sso_session"] != nil {
            return "SSO login (run 'aws sso login' when it expires)"
        }
        if profile["role_arn"] != nil { return "assumed role" }
        if profile["credential_process"] != nil { return "credential_process" }
        if profile["aws_access_key_id"] != nil, profile["aws_secret_access_key"] != nil {
            return "access key"
        }
        return nil
    }

    // MARK: GCP

    package func gcp() -> CheckOutcome {
        let hint =
            "Run 'gcloud auth application-default login', or set GOOGLE_APPLICATION_CREDENTIALS to a service-account key file."
        let config = environment["CLOUDSDK_CONFIG"] ?? path(".config/gcloud")
        let explicit = environment["GOOGLE_APPLICATION_CREDENTIALS"]
        let file = explicit ?? config + "/application_default_credentials.json"
        guard let data = FileManager.default.contents(atPath: file) else {
            if explicit != nil {
                return .disabled(
                    "gcp", "GCP",
                    "GOOGLE_APPLICATION_CREDENTIALS points at \(file), which does not exist.",
                    hint: hint)
            }
            if FileManager.default.fileExists(atPath: config + "/credentials.db") {
                return .disabled(
                    "gcp", "GCP",
                    "gcloud is logged in (\(config)/credentials.db) but there are no application-default credentials (no \(file)).",
                    hint: "Run 'gcloud auth application-default login'.")
            }
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
        let project =
            (json["project_id"] as? String) ?? (json["quota_project_id"] as? String)
            ?? environment["GOOGLE_CLOUD_PROJECT"] ?? environment["CLOUDSDK_CORE_PROJECT"]
            ?? gcloudProject(config: config)
        guard let project, !project.isEmpty else {
            return .disabled(
                "gcp", "GCP", "\(type) credentials in \(file), but no GCP project is set.",
                hint: "Run 'gcloud config set project <PROJECT_ID>'.")
        }
        let who = (json["client_email"] as? String).map { ", \($0)" } ?? ""
        return found("gcp", "GCP", "\(type) in \(file)\(who), project \(project)")
    }

    /// `project` of gcloud's active configuration (`<config>/configurations/config_<name>`).
    private func gcloudProject(config: String) -> String? {
        let active =
            read(config + "/active_config")?.trimmingCharacters(in: .whitespacesAndNewlines)
            ?? "default"
        guard
            let text = read(
                config + "/configurations/config_" + (active.isEmpty ? "default" : active))
        else { return nil }
        return INISections.parse(text)["core"]?["project"]
    }

    // MARK: Azure

    package func azure() -> CheckOutcome {
        let hint = "Run 'az login'."
        let dir = environment["AZURE_CONFIG_DIR"] ?? path(".azure")
        let file = dir + "/msal_token_cache.json"
        guard let data = FileManager.default.contents(atPath: file) else {
            return .disabled(
                "azure", "Azure", "Azure credentials are not set (no \(file)).", hint: hint)
        }
        guard let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            return .disabled("azure", "Azure", "\(file) is not valid JSON.", hint: hint)
        }
        let tokens = ["AccessToken", "RefreshToken"].reduce(0) {
            $0 + ((json[$1] as? [String: Any])?.count ?? 0)
        }
        guard tokens > 0 else {
            return .disabled(
                "azure", "Azure", "\(file) holds no token; the login expired or never completed.",
                hint: hint)
        }
        let profile = FileManager.default.contents(atPath: dir + "/azureProfile.json").map {
            // az writes the profile with a UTF-8 byte order mark.
            $0.starts(with: [0xEF, 0xBB, 0xBF]) ? Data($0.dropFirst(3)) : $0
        }
        let subscriptions =
            profile.flatMap { (try? JSONSerialization.jsonObject(with: $0)) as? [String: Any] }?[
                "subscriptions"]
            as? [[String: Any]] ?? []
        guard let subscription = subscriptions.first(where: { $0["isDefault"] as? Bool == true })
        else {
            return .disabled(
                "azure", "Azure",
                "\(file) holds a login, but \(dir)/azureProfile.json names no default subscription.",
                hint: "Run 'az account set --subscription <id>'.")
        }
        let name = (subscription["name"] as? String).map { ", subscription '\($0)'" } ?? ""
        return found("azure", "Azure", "token cache \(file)\(name)")
    }

    // MARK: Lambda

    package func lambda() -> CheckOutcome {
        let file = path(".lambda_cloud/lambda_keys")
        let hint = "Put 'api_key = <your key>' in \(file) (from the Lambda Cloud dashboard)."
        guard let text = read(file) else {
            return .disabled(
                "lambda", "Lambda", "Lambda credentials are not set (no \(file)).", hint: hint)
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
        if !(environment["RUNPOD_API_KEY"] ?? "").isEmpty {
            return found("runpod", "RunPod", "RUNPOD_API_KEY environment variable")
        }
        guard let text = read(file) else {
            return .disabled(
                "runpod", "RunPod", "RunPod credentials are not set (no \(file)).", hint: hint)
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
        let files =
            (environment["KUBECONFIG"].map { $0.split(separator: ":").map(String.init) })
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
            "kubernetes", "Kubernetes",
            "\(contexts.count) context(s) in \(existing.joined(separator: ", "))")
        outcome.treeTitle = "Allowed contexts:"
        outcome.tree = contexts.map { "\($0): disabled. Reason: \(Self.noBackend)." }
        return outcome
    }
}
