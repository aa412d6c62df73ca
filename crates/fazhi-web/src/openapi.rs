//! The base of the OpenAPI document; paths are added by the routers that serve them.

use utoipa::openapi::{InfoBuilder, OpenApi, OpenApiBuilder};

pub(crate) fn base() -> OpenApi {
    OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("Fazhi API")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(
                    "法治：乡镇（街道）法治工作平台接口。登录后用 Cookie 会话（写操作须带 X-CSRF-Token）或 Authorization: Bearer 令牌调用。错误以 JSON 返回：code、message、fields。",
                ))
                .build(),
        )
        .build()
}
