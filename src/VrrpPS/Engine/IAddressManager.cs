namespace VrrpPS.Engine;

public interface IAddressManager
{
    /// <summary>Adds the address; an address already present is not an error. Returns true when added.</summary>
    bool Add(int interfaceIndex, VirtualAddressSpec address);

    /// <summary>Removes the address; an absent address is not an error. Returns true when removed.</summary>
    bool Remove(int interfaceIndex, VirtualAddressSpec address);

    IReadOnlyList<InterfaceAddress> List(int interfaceIndex);
}
