//! Every fixed UI string, in Chinese (the default) and English. One table, so a missing
//! translation is a compile error rather than a blank on the page.

use super::Lang;

macro_rules! messages {
    ($($key:ident => $zh:literal, $en:literal;)*) => {
        /// A fixed UI string; `text` gives it in a language.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Msg { $($key,)* }

        impl Msg {
            pub const ALL: &'static [Msg] = &[$(Msg::$key,)*];

            pub fn text(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((Msg::$key, Lang::Zh) => $zh, (Msg::$key, Lang::En) => $en,)*
                }
            }
        }
    };
}

messages! {
    AppName => "客户", "Kehu";
    AppTagline => "客户全生命周期管理", "Customer lifecycle CRM";
    NavCustomers => "客户", "Customers";
    NewCustomer => "新建客户", "New customer";
    Language => "语言", "Language";
    SearchPlaceholder => "搜索名称、电话、邮箱或联系人…", "Search name, phone, email or contact…";
    Search => "搜索", "Search";
    AllStages => "全部阶段", "All stages";
    AllTags => "全部标签", "All tags";
    AllRegions => "全部区域", "All regions";
    AllOwners => "全部负责人", "All owners";
    SortBy => "排序", "Sort";
    ClearFilters => "清除筛选", "Clear filters";
    NoMatches => "没有符合条件的客户。", "No customer matches.";
    NoCustomersYet => "还没有客户。新建第一位客户，或载入演示数据先看看。", "No customers yet. Add your first one, or load demo data to look around.";
    LoadDemo => "载入演示数据", "Load demo data";
    DemoLoaded => "演示数据已载入。", "Demo data loaded.";
    Loading => "加载中…", "Loading…";
    PrevPage => "上一页", "Previous";
    NextPage => "下一页", "Next";
    ColName => "名称", "Name";
    ColStage => "阶段", "Stage";
    ColIndustry => "行业", "Industry";
    ColRegion => "区域", "Region";
    ColSource => "来源渠道", "Source";
    ColOwner => "负责人", "Owner";
    ColTags => "标签", "Tags";
    ColLastContact => "最近跟进", "Last contact";
    Never => "从未", "Never";
    FieldKind => "类型", "Type";
    FieldName => "名称", "Name";
    FieldIndustry => "行业", "Industry";
    FieldRegion => "区域", "Region";
    FieldSource => "来源渠道（首次接触）", "Source (first touch)";
    FieldStage => "生命周期阶段", "Lifecycle stage";
    FieldOwner => "负责人", "Owner";
    FieldPhone => "电话", "Phone";
    FieldEmail => "邮箱", "Email";
    FieldNotes => "备注", "Notes";
    FieldTitle => "职务", "Title";
    FieldBirthday => "生日", "Birthday";
    FieldAuthor => "记录人", "Recorded by";
    FieldSummary => "沟通内容", "What happened";
    FieldNextStep => "下一步", "Next step";
    FieldNextStepOn => "下一步日期", "Next step date";
    FieldTouchKind => "方式", "Channel";
    KindCompany => "企业", "Company";
    KindPerson => "个人", "Person";
    Save => "保存", "Save";
    Saving => "保存中…", "Saving…";
    Cancel => "取消", "Cancel";
    Edit => "编辑", "Edit";
    Remove => "删除", "Remove";
    Add => "添加", "Add";
    EditCustomer => "编辑客户", "Edit customer";
    Contacts => "联系人", "Contacts";
    NoContacts => "还没有联系人。", "No contacts yet.";
    AddContact => "添加联系人", "Add contact";
    Timeline => "跟进时间线", "Timeline";
    NoTouchpoints => "还没有跟进记录。", "No follow-ups yet.";
    AddFollowUp => "记录跟进", "Log follow-up";
    FollowUpAdded => "跟进已记录。", "Follow-up logged.";
    Tags => "标签", "Tags";
    AddTag => "添加标签", "Add tag";
    NewTagPlaceholder => "如 价格敏感型、决策链长、VIP", "e.g. price-sensitive, long decision chain, VIP";
    DimBehavior => "行为", "Behaviour";
    DimOrganization => "组织", "Organisation";
    DimValue => "价值", "Value";
    Details => "基本信息", "Details";
    CreatedAt => "创建于", "Created";
    UpdatedAt => "更新于", "Updated";
    CustomerId => "客户 ID", "Customer ID";
    BackToList => "返回客户列表", "Back to customers";
    PossibleDuplicates => "可能与以下已有客户重复：", "This may be a customer you already have:";
    SaveAnyway => "不是重复，仍然保存", "Not a duplicate, save anyway";
    MatchedOn => "相同", "same";
    StageLead => "线索", "Lead";
    StageOpportunity => "商机", "Opportunity";
    StageCustomer => "成交", "Customer";
    StageChurned => "流失", "Churned";
    TouchCall => "电话", "Call";
    TouchVisit => "拜访", "Visit";
    TouchEmail => "邮件", "Email";
    TouchChat => "微信/聊天", "Chat";
    TouchWebVisit => "网站访问", "Web visit";
    TouchDownload => "资料下载", "Download";
    TouchNote => "备注", "Note";
    SortUpdated => "最近更新", "Recently updated";
    SortCreated => "最新创建", "Newest";
    SortName => "名称", "Name";
    SortLastContact => "最近跟进", "Recently contacted";
    SortStale => "最久未跟进", "Longest without contact";
    ErrRequired => "必填。", "Required.";
    ErrInvalidEmail => "邮箱格式不正确，例如 name@example.com。", "Not a valid email, e.g. name@example.com.";
    ErrInvalidPhone => "电话号码格式不正确，例如 138 0013 8000 或 010-8888 6666。", "Not a valid phone number, e.g. 138 0013 8000 or +86 10 8888 6666.";
    ErrInvalidDate => "日期不正确，格式为 年-月-日，例如 1990-05-20。", "Not a valid date; use year-month-day, e.g. 1990-05-20.";
    ErrDateInFuture => "日期不能晚于今天。", "The date cannot be after today.";
    ErrDateTooOld => "日期不能早于 1900 年。", "The date cannot be before 1900.";
    ErrUnknownChoice => "无效的选项。", "Not one of the choices.";
    ErrDuplicate => "与已有客户重复。", "Same as an existing customer.";
    ErrNotFound => "找不到该记录，可能已被删除或您无权查看。", "Not found: it may have been removed, or it is not yours to see.";
    ErrConflict => "保存前已有他人修改了该记录。请刷新后再改。", "Someone else changed this record after you opened it. Reload and edit again.";
    ErrTooLarge => "提交的内容过大（上限 1 MB），未保存。", "What you sent is too large (limit 1 MB); nothing was saved.";
    ErrStore => "数据存储出错，未保存。请稍后重试或联系管理员。", "The data store failed and nothing was saved. Try again, or tell your admin.";
    ErrTransport => "无法连接服务器，未保存。请检查网络后重试。", "Could not reach the server; nothing was saved. Check the connection and try again.";
    ErrFixFields => "请修正标出的字段。", "Please fix the marked fields.";
    NotFoundPage => "页面不存在。", "Page not found.";
    ErrUnauthorized => "请先登录。", "Please sign in.";
    ErrForbidden => "您没有权限执行此操作。", "You are not allowed to do that.";
    ErrLoginFailed => "用户名或密码错误。", "Wrong username or password.";
    ErrAccountDisabled => "该账号已停用，请联系管理员。", "This account has been deactivated; ask your admin.";
    ErrSetupClosed => "初始化链接无效或已使用。请使用服务器启动时打印的链接，或运行 kehu user add --admin。", "The setup link is invalid or already used. Use the link the server printed at start, or run kehu user add --admin.";
    ErrInvalidUsername => "用户名只能包含小写字母、数字和 . - _，并以字母开头。", "Use lower-case letters, digits, . - and _, starting with a letter.";
    ErrUsernameTaken => "该用户名已被使用。", "That username is taken.";
    SignIn => "登录", "Sign in";
    SignOut => "退出", "Sign out";
    Username => "用户名", "Username";
    Password => "密码", "Password";
    DisplayName => "姓名", "Name";
    SetupTitle => "创建管理员账号", "Create the admin account";
    SetupIntro => "这是 Kehu 的首次启动。创建第一个管理员账号后，此链接即失效。", "This is Kehu's first start. Once the first admin account exists, this link stops working.";
    NavUsers => "用户", "Users";
    NavPool => "线索池", "Lead pool";
    NavAudit => "审计", "Audit";
    Role => "角色", "Role";
    RoleAdmin => "管理员", "Admin";
    RoleManager => "经理", "Manager";
    RoleRep => "销售", "Rep";
    Team => "团队", "Team";
    NoTeam => "无团队", "No team";
    Region => "区域", "Region";
    MaxCustomers => "客户上限", "Customer limit";
    Active => "在职", "Active";
    Inactive => "已停用", "Deactivated";
    AddUser => "添加用户", "Add user";
    NewPasswordHint => "留空则不修改密码", "Leave empty to keep the password";
    Deactivate => "停用", "Deactivate";
    HandOverTo => "客户移交给", "Hand customers over to";
    HandOverPool => "线索池", "the lead pool";
    Teams => "团队", "Teams";
    AddTeam => "添加团队", "Add team";
    TeamName => "团队名称", "Team name";
    Pool => "线索池（无负责人）", "Lead pool (no owner)";
    Claim => "领取", "Claim";
    Claimed => "已领取。", "Claimed.";
    ErrClaimGone => "该客户已不在线索池中，可能刚被他人领取。", "This customer is no longer in the pool; someone may just have claimed it.";
    AssignTo => "分配给", "Assign to";
    Assign => "分配", "Assign";
    ReturnToPool => "退回线索池", "Return to pool";
    ReturnReason => "退回原因", "Reason for returning";
    Unowned => "无负责人", "No owner";
    History => "变更记录", "History";
    NoHistory => "暂无变更记录。", "No changes recorded.";
    ConflictIntro => "保存前已有他人修改了该客户。下面列出不同之处：", "Someone else changed this customer after you opened it. The differences:";
    TheirValue => "已保存的", "Saved";
    YourValue => "您的", "Yours";
    KeepMine => "用我的覆盖", "Save mine over it";
    TakeTheirs => "放弃我的修改", "Discard my changes";
    Merge => "合并", "Merge";
    MergeInto => "合并到此客户（输入另一客户的 ID）", "Merge into this customer (the other customer's ID)";
    Notifications => "通知", "Notifications";
    NoNotifications => "没有通知。", "No notifications.";
    Action => "操作", "Action";
    When => "时间", "When";
    Who => "操作人", "Who";
    What => "内容", "What";
}
