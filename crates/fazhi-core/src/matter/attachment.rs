//! Files kept with a matter (一事一档): what each is, and whether it holds a citizen's
//! personal data (then every download is audited).

use super::code_enum;

code_enum! {
    /// What an attachment is.
    pub enum AttachmentKind: "附件类型" {
        Letter = ("letter", "来信来访材料"),
        Agreement = ("agreement", "协议书、决定书"),
        Photo = ("photo", "现场照片"),
        Audio = ("audio", "录音（回访等）"),
        Other = ("other", "其他材料"),
    }
}

impl AttachmentKind {
    /// Letters, agreements and recordings name and quote the parties: personal data
    /// unless the uploader says otherwise.
    pub fn personal_by_default(self) -> bool {
        matches!(
            self,
            AttachmentKind::Letter | AttachmentKind::Agreement | AttachmentKind::Audio
        )
    }
}
