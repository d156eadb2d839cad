using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using Granary.Catalog;
using Granary.Messaging;

namespace Granary.GrainReferences;

/// <summary>Makes grain references for the runtime it belongs to.</summary>
internal sealed class GrainFactory(GrainTypeManifest manifest, Func<IRuntimeClient> runtime) : IGrainFactory
{
    private readonly ConcurrentDictionary<Type, string> _grainTypes = new();

    public TGrainInterface GetGrain<TGrainInterface>(string key) where TGrainInterface : IGrainWithStringKey
    {
        ArgumentNullException.ThrowIfNull(key);
        return Create<TGrainInterface>(key);
    }

    public TGrainInterface GetGrain<TGrainInterface>(Guid key) where TGrainInterface : IGrainWithGuidKey =>
        Create<TGrainInterface>(key.ToString("N"));

    public TGrainInterface GetGrain<TGrainInterface>(long key) where TGrainInterface : IGrainWithIntegerKey =>
        Create<TGrainInterface>(key.ToString(CultureInfo.InvariantCulture));

    public TGrainInterface GetGrain<TGrainInterface>(GrainId grainId) where TGrainInterface : IAddressable =>
        (TGrainInterface)GetGrain(typeof(TGrainInterface), grainId);

    public object GetGrain(Type grainInterface, GrainId grainId)
    {
        if (!grainInterface.IsInterface || !typeof(IAddressable).IsAssignableFrom(grainInterface))
            throw new ArgumentException($"{grainInterface.Name} is not a grain interface.", nameof(grainInterface));
        var proxy = DispatchProxy.Create(grainInterface, typeof(GrainReference));
        ((GrainReference)proxy).Initialize(grainId, grainInterface, runtime());
        return proxy;
    }

    private TGrainInterface Create<TGrainInterface>(string key)
    {
        var grainType = _grainTypes.GetOrAdd(typeof(TGrainInterface), manifest.GetGrainType);
        return (TGrainInterface)GetGrain(typeof(TGrainInterface), new GrainId(grainType, key));
    }
}
