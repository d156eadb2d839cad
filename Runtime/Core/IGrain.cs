namespace Granary;

/// <summary>Anything that can be addressed as a grain.</summary>
public interface IAddressable;

/// <summary>Marker for grain interfaces. Use one of the keyed variants.</summary>
public interface IGrain : IAddressable;

public interface IGrainWithStringKey : IGrain;

public interface IGrainWithGuidKey : IGrain;

public interface IGrainWithIntegerKey : IGrain;
