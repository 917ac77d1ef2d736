import SkyCore
import SkyKubernetes
import SkyProvision

extension SkyEngine {
    /// The Kubernetes backend (issue #10), registered when a kubeconfig exists (`$KUBECONFIG`
    /// or `~/.kube/config`: one stat, no kubectl call). Its per-cluster files (the pods' ssh
    /// host keys) live in `$SKY_HOME/kubernetes`; the config (`kubernetes.allowed_contexts`,
    /// `namespace`, `context_configs`, ...) is read when first needed (`skyConfig()`).
    func kubernetesBackend() -> (any Provisioner)? {
        var environment = self.environment
        environment["HOME"] = userHome
        guard KubernetesProvisioner.kubeconfigExists(environment: environment) else { return nil }
        return KubernetesProvisioner(
            environment: environment, stateDirectory: home + "/kubernetes",
            configSource: { [self] () throws(SkyConfigError) in try self.skyConfig() })
    }
}
