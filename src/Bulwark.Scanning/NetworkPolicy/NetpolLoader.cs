using Bulwark.Core.Findings;
using Bulwark.Kubernetes.NetworkPolicy;

namespace Bulwark.Scanning.NetworkPolicy;

/// <summary>Reads inputs for the netpol commands: discovery and parsing as the scan does, keeping only the compact network model.</summary>
public static class NetpolLoader
{
    public sealed record Loaded(NetworkModel Model, List<InputError> Errors);

    public static Loaded Load(ScanOptions options)
    {
        var (outcomes, errors) = ScanEngine.ForEachInput(options, input =>
        {
            var part = new NetworkInputs();
            foreach (var obj in input.Objects)
            {
                NetpolObjectReader.Read(obj, part);
            }

            return (Inputs: part, input.Errors);
        });

        foreach (var outcome in outcomes)
        {
            errors.AddRange(outcome.Errors);
        }

        return new Loaded(NetworkModel.Build(NetworkInputs.Merge(outcomes.Select(o => o.Inputs))), errors);
    }

    /// <summary>Loads the manifests under <paramref name="paths"/> with default options.</summary>
    public static Loaded Load(params string[] paths) => Load(new ScanOptions { Paths = paths });
}
