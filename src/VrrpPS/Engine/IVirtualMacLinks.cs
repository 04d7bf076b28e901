namespace VrrpPS.Engine;

public interface IVirtualMacLinks
{
    /// <summary>Creates the macvlan (a link of that name left by an earlier run is replaced), sets the
    /// sysctls keepalived sets, brings it up and returns it.</summary>
    NetworkInterfaceInfo Create(VirtualMacLinkSpec spec);

    /// <summary>Deletes the macvlan; an absent link is not an error. Returns true when deleted.</summary>
    bool Delete(string name);
}
