namespace VrrpPS.Engine;

/// <summary>Routes and policy rules through rtnetlink.</summary>
public interface IRouteManager
{
    /// <summary>Adds (replaces) the route or rule; deviceIndex resolves "dev" (0 = none).</summary>
    void Add(VirtualRouteSpec spec, int deviceIndex);

    /// <summary>Removes it; absent is not an error.</summary>
    void Remove(VirtualRouteSpec spec, int deviceIndex);
}
