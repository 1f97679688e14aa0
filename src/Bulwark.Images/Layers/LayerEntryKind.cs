namespace Bulwark.Images.Layers;

public enum LayerEntryKind
{
    File,
    Directory,
    SymbolicLink,
    HardLink,
    CharacterDevice,
    BlockDevice,
    Fifo,
    Other,
}
