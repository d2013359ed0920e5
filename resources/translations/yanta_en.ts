<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>EvidenceBox</name>
    <message>
        <source>佐证材料</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <source>把文件拖到这里，或点击“添加文件…”。单个文件不超过 {0} MB；可用格式：{1}。</source>
        <translation>Drop files here or click “Add files…”. Up to {0} MB per file; allowed formats: {1}.</translation>
    </message>
    <message>
        <source>佐证材料列表</source>
        <translation>Evidence files</translation>
    </message>
    <message>
        <source>文件名</source>
        <translation>File name</translation>
    </message>
    <message>
        <source>类别</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>大小</source>
        <translation>Size</translation>
    </message>
    <message>
        <source>指纹（SHA-256）</source>
        <translation>Fingerprint (SHA-256)</translation>
    </message>
    <message>
        <source>添加文件…</source>
        <translation>Add files…</translation>
    </message>
    <message>
        <source>打开</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>移除</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>{0} 的类别</source>
        <translation>Kind of {0}</translation>
    </message>
    <message>
        <source>选择佐证材料</source>
        <translation>Choose evidence files</translation>
    </message>
    <message>
        <source>佐证材料 ({0});;所有文件 (*)</source>
        <translation>Evidence ({0});;All files (*)</translation>
    </message>
    <message>
        <source>“{0}”不是文件</source>
        <translation>“{0}” is not a file</translation>
    </message>
    <message>
        <source>“{0}”的格式不在允许范围内（{1}）</source>
        <translation>“{0}” is not an allowed format ({1})</translation>
    </message>
    <message>
        <source>“{0}”超过 {1} MB</source>
        <translation>“{0}” is larger than {1} MB</translation>
    </message>
    <message>
        <source>佐证材料最多 {0} 个文件</source>
        <translation>At most {0} evidence files</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>已定稿</source>
        <translation>Final</translation>
    </message>
    <message>
        <source>已导出</source>
        <translation>Exported</translation>
    </message>
    <message>
        <source>未定稿</source>
        <translation>Not final</translation>
    </message>
    <message>
        <source>未填报</source>
        <translation>Not filled in</translation>
    </message>
    <message>
        <source>导出数据包 — {0}</source>
        <translation>Export packet — {0}</translation>
    </message>
    <message>
        <source>{0} 的已定稿填报将写入一个签名的 Excel 数据包，交区知识产权局汇总。下面是本期各项任务的状态：</source>
        <translation>The final entries for {0} are written to one signed Excel packet for the district IP bureau. Status of each task this period:</translation>
    </message>
    <message>
        <source>各任务导出准备情况</source>
        <translation>Export readiness per task</translation>
    </message>
    <message>
        <source>任务</source>
        <translation>Task</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>正在检查…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <source>只导出已定稿的任务（未填报的任务不包含在本数据包中）</source>
        <translation>Export the final tasks only (tasks not filled in are left out of this packet)</translation>
    </message>
    <message>
        <source>签名证书：</source>
        <translation>Signing certificate:</translation>
    </message>
    <message>
        <source>保存位置</source>
        <translation>Save location</translation>
    </message>
    <message>
        <source>浏览…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <source>选择保存位置</source>
        <translation>Choose save location</translation>
    </message>
    <message>
        <source>保存到(&amp;D)：</source>
        <translation>Save &amp;to:</translation>
    </message>
    <message>
        <source>签名口令</source>
        <translation>Signing passphrase</translation>
    </message>
    <message>
        <source>签名口令(&amp;P)：</source>
        <translation>&amp;Passphrase:</translation>
    </message>
    <message>
        <source>文件：</source>
        <translation>File:</translation>
    </message>
    <message>
        <source>数据指纹（SHA-256）：</source>
        <translation>Payload fingerprint (SHA-256):</translation>
    </message>
    <message>
        <source>证书指纹：</source>
        <translation>Certificate fingerprint:</translation>
    </message>
    <message>
        <source>打开所在文件夹</source>
        <translation>Open folder</translation>
    </message>
    <message>
        <source>复制指纹</source>
        <translation>Copy fingerprint</translation>
    </message>
    <message>
        <source>导出(&amp;E)</source>
        <translation>&amp;Export</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>无法检查填报状态：{0}</source>
        <translation>Cannot check the entries: {0}</translation>
    </message>
    <message>
        <source>任务{0} {1}</source>
        <translation>Task {0} {1}</translation>
    </message>
    <message>
        <source>本期 {0} 项任务：可导出 {1} 项，未定稿 {2} 项，未填报 {3} 项。</source>
        <translation>{0} tasks this period: {1} ready, {2} not final, {3} not filled in.</translation>
    </message>
    <message>
        <source>未定稿的任务必须先定稿（或退回清空）才能导出。</source>
        <translation>Tasks that are not final must be finalised before exporting.</translation>
    </message>
    <message>
        <source>如确实无需填报，可勾选下方“只导出已定稿的任务”。</source>
        <translation>If they really need no report, tick “Export the final tasks only” below.</translation>
    </message>
    <message>
        <source>还没有导入证书，暂时不能导出。请把证书申请文件 {0} 交区知识产权局签发，再在“文件 → 证书与密钥”中导入本单位证书和根证书。</source>
        <translation>No certificate installed yet, so export is not possible. Send the request file {0} to the district IP bureau, then import your certificate and the root under “File → Certificate and key”.</translation>
    </message>
    <message>
        <source>本机还没有签名密钥，暂时不能导出。请在“文件 → 证书与密钥”中生成证书申请。</source>
        <translation>This computer has no signing key yet, so export is not possible. Create a certificate request under “File → Certificate and key”.</translation>
    </message>
    <message>
        <source>正在解开私钥并准备导出…</source>
        <translation>Unlocking the private key and preparing the export…</translation>
    </message>
    <message>
        <source>导出成功：第 {0} 号数据包，含 {1} 项任务。</source>
        <translation>Exported: packet no. {0} with {1} tasks.</translation>
    </message>
    <message>
        <source>（内容未变，沿用原序号）</source>
        <translation> (content unchanged, same sequence number)</translation>
    </message>
    <message>
        <source>口令不正确，私钥无法解开。请重新输入签名口令。</source>
        <translation>Wrong passphrase: the private key cannot be unlocked. Please enter the signing passphrase again.</translation>
    </message>
    <message>
        <source>导出失败：{0}</source>
        <translation>Export failed: {0}</translation>
    </message>
</context>
<context>
    <name>FieldEditor</name>
    <message>
        <source>（请选择）</source>
        <translation>(choose)</translation>
    </message>
    <message>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>否</source>
        <translation>No</translation>
    </message>
    <message>
        <source>日历…</source>
        <translation>Calendar…</translation>
    </message>
    <message>
        <source>从日历选择{0}</source>
        <translation>Pick {0} from a calendar</translation>
    </message>
</context>
<context>
    <name>FormView</name>
    <message>
        <source>修改“{0}”</source>
        <translation>Edit “{0}”</translation>
    </message>
    <message>
        <source>添加行</source>
        <translation>Add row</translation>
    </message>
    <message>
        <source>复制所选行</source>
        <translation>Duplicate rows</translation>
    </message>
    <message>
        <source>删除所选行</source>
        <translation>Delete rows</translation>
    </message>
    <message>
        <source>粘贴 Excel 数据</source>
        <translation>Paste from Excel</translation>
    </message>
    <message>
        <source>在 Excel 或 WPS 中选中若干行列并复制，再点这里（或在表格中按 Ctrl+V），从当前单元格开始填入。</source>
        <translation>Copy a block of cells in Excel or WPS, then click here (or press Ctrl+V in the table); it is filled in from the current cell.</translation>
    </message>
    <message>
        <source>共 {0} 行</source>
        <translation>{0} rows</translation>
    </message>
    <message>
        <source>任务{0}　{1}</source>
        <translation>Task {0}: {1}</translation>
    </message>
    <message>
        <source>报告期：{0}（{1}）</source>
        <translation>Period: {0} ({1})</translation>
    </message>
    <message>
        <source>　截止日期：{0}</source>
        <translation>   Due: {0}</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>立即保存草稿（Ctrl+S）。草稿也会在停止输入约 1 秒后自动保存。</source>
        <translation>Save the draft now (Ctrl+S). Drafts also save themselves about one second after you type.</translation>
    </message>
    <message>
        <source>撤销</source>
        <translation>Undo</translation>
    </message>
    <message>
        <source>重做</source>
        <translation>Redo</translation>
    </message>
    <message>
        <source>定稿</source>
        <translation>Finalise</translation>
    </message>
    <message>
        <source>检查全部内容并定稿（Ctrl+Enter）</source>
        <translation>Check everything and finalise (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>退回修改…</source>
        <translation>Reopen…</translation>
    </message>
    <message>
        <source>历史版本…</source>
        <translation>History…</translation>
    </message>
    <message>
        <source>问题列表</source>
        <translation>Problems</translation>
    </message>
    <message>
        <source>修改佐证材料</source>
        <translation>Edit evidence</translation>
    </message>
    <message>
        <source>有未保存的修改</source>
        <translation>Unsaved changes</translation>
    </message>
    <message>
        <source>正在检查…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <source>……另有 {0} 条未列出</source>
        <translation>… and {0} more</translation>
    </message>
    <message>
        <source>没有发现问题。</source>
        <translation>No problems found.</translation>
    </message>
    <message>
        <source>错误 {0} 处，提醒 {1} 处（点击可跳到对应位置）</source>
        <translation>Errors: {0}, warnings: {1} (click one to go there)</translation>
    </message>
    <message>
        <source>未开始</source>
        <translation>Not started</translation>
    </message>
    <message>
        <source>已导出</source>
        <translation>Exported</translation>
    </message>
    <message>
        <source>已定稿</source>
        <translation>Final</translation>
    </message>
    <message>
        <source>草稿</source>
        <translation>Draft</translation>
    </message>
    <message>
        <source>正在保存…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <source>草稿已保存（第 {0} 版）</source>
        <translation>Draft saved (revision {0})</translation>
    </message>
    <message>
        <source>保存失败：{0}</source>
        <translation>Save failed: {0}</translation>
    </message>
    <message>
        <source>保存失败</source>
        <translation>Save failed</translation>
    </message>
    <message>
        <source>有 {0} 处错误，未能定稿。请逐条修改（点击下面的条目可跳到对应位置）。</source>
        <translation>Not finalised: errors: {0}. Fix each one (click an item below to go there).</translation>
    </message>
    <message>
        <source>已定稿（第 {0} 版）</source>
        <translation>Final (revision {0})</translation>
    </message>
    <message>
        <source>未能定稿</source>
        <translation>Not finalised</translation>
    </message>
    <message>
        <source>退回修改</source>
        <translation>Reopen</translation>
    </message>
    <message>
        <source>请说明退回修改的原因（将记入审计日志）：</source>
        <translation>Why is this entry reopened? (recorded in the audit log)</translation>
    </message>
    <message>
        <source>必须填写退回原因。</source>
        <translation>A reason is required.</translation>
    </message>
    <message>
        <source>已退回为草稿（第 {0} 版）</source>
        <translation>Reopened as a draft (revision {0})</translation>
    </message>
    <message>
        <source>未能退回</source>
        <translation>Could not reopen</translation>
    </message>
    <message>
        <source>添加佐证材料</source>
        <translation>Add evidence</translation>
    </message>
    <message>
        <source>无法打开“{0}”：{1}</source>
        <translation>Cannot open “{0}”: {1}</translation>
    </message>
</context>
<context>
    <name>History</name>
    <message>
        <source>草稿</source>
        <translation>Draft</translation>
    </message>
    <message>
        <source>已定稿</source>
        <translation>Final</translation>
    </message>
    <message>
        <source>{0} 第{1}行</source>
        <translation>{0} row {1}</translation>
    </message>
    <message>
        <source>（无）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>（已删除）</source>
        <translation>(deleted)</translation>
    </message>
    <message>
        <source>佐证材料</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <source>（已移除）</source>
        <translation>(removed)</translation>
    </message>
    <message>
        <source>佐证材料“{0}”的类别</source>
        <translation>Kind of evidence “{0}”</translation>
    </message>
    <message>
        <source>历史版本</source>
        <translation>History</translation>
    </message>
    <message>
        <source>选择一个版本，查看它与上一版本的差异：</source>
        <translation>Choose a revision to see what changed from the one before:</translation>
    </message>
    <message>
        <source>版本列表</source>
        <translation>Revisions</translation>
    </message>
    <message>
        <source>版本</source>
        <translation>Revision</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>保存人</source>
        <translation>Saved by</translation>
    </message>
    <message>
        <source>保存时间</source>
        <translation>Saved at</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>差异</source>
        <translation>Differences</translation>
    </message>
    <message>
        <source>项目</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>修改前</source>
        <translation>Before</translation>
    </message>
    <message>
        <source>修改后</source>
        <translation>After</translation>
    </message>
    <message>
        <source>第 {0} 版相对上一版有 {1} 处修改。</source>
        <translation>Revision {0}: {1} changes from the previous one.</translation>
    </message>
    <message>
        <source>第 {0} 版没有修改内容（{1}）。</source>
        <translation>Revision {0} changes no content ({1}).</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>未开始</source>
        <translation>Not started</translation>
    </message>
    <message>
        <source>草稿</source>
        <translation>Draft</translation>
    </message>
    <message>
        <source>已定稿</source>
        <translation>Final</translation>
    </message>
    <message>
        <source>已导出</source>
        <translation>Exported</translation>
    </message>
    <message>
        <source>雁塔知识产权强县填报 — {0}</source>
        <translation>Yanta IP Reporting — {0}</translation>
    </message>
    <message>
        <source>填报单位：{0}</source>
        <translation>Unit: {0}</translation>
    </message>
    <message>
        <source>报告期(&amp;P)：</source>
        <translation>&amp;Period:</translation>
    </message>
    <message>
        <source>报告期</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>任务列表</source>
        <translation>Tasks</translation>
    </message>
    <message>
        <source>任务</source>
        <translation>Task</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>截止日期</source>
        <translation>Due</translation>
    </message>
    <message>
        <source>部分表单暂不可用：</source>
        <translation>Some forms are not available: </translation>
    </message>
    <message>
        <source>请在左侧选择一项任务开始填报。</source>
        <translation>Choose a task on the left to start.</translation>
    </message>
    <message>
        <source>本单位填报</source>
        <translation>Our reports</translation>
    </message>
    <message>
        <source>汇总功能加载中…</source>
        <translation>Loading consolidation…</translation>
    </message>
    <message>
        <source>汇总（全区）</source>
        <translation>Consolidation (district)</translation>
    </message>
    <message>
        <source>数据目录：{0}</source>
        <translation>Data folder: {0}</translation>
    </message>
    <message>
        <source>文件(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>导出数据包(&amp;E)…</source>
        <translation>&amp;Export packet…</translation>
    </message>
    <message>
        <source>证书与密钥(&amp;K)…</source>
        <translation>Certificate and &amp;key…</translation>
    </message>
    <message>
        <source>退出(&amp;Q)</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>编辑(&amp;E)</source>
        <translation>&amp;Edit</translation>
    </message>
    <message>
        <source>保存草稿(&amp;S)</source>
        <translation>&amp;Save draft</translation>
    </message>
    <message>
        <source>定稿(&amp;F)</source>
        <translation>&amp;Finalise</translation>
    </message>
    <message>
        <source>撤销(&amp;U)</source>
        <translation>&amp;Undo</translation>
    </message>
    <message>
        <source>重做(&amp;R)</source>
        <translation>&amp;Redo</translation>
    </message>
    <message>
        <source>历史版本(&amp;H)…</source>
        <translation>&amp;History…</translation>
    </message>
    <message>
        <source>设置(&amp;S)</source>
        <translation>&amp;Settings</translation>
    </message>
    <message>
        <source>界面语言(&amp;L)</source>
        <translation>&amp;Language</translation>
    </message>
    <message>
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>关于(&amp;A)</source>
        <translation>&amp;About</translation>
    </message>
    <message>
        <source>界面语言</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>界面语言将在下次启动时生效。</source>
        <translation>The language changes the next time the app starts.</translation>
    </message>
    <message>
        <source>任务{0} {1}</source>
        <translation>Task {0} {1}</translation>
    </message>
    <message>
        <source>表单缺失</source>
        <translation>Form missing</translation>
    </message>
    <message>
        <source>本期不填报</source>
        <translation>Not this period</translation>
    </message>
    <message>
        <source>此任务按{0}填报，{1}不是它的报告期</source>
        <translation>This task reports per {0}; {1} is not one of its periods</translation>
    </message>
    <message>
        <source>本期 {0} 项：未开始 {1}，草稿 {2}，已定稿 {3}，已导出 {4}</source>
        <translation>{0} tasks: {1} not started, {2} draft, {3} final, {4} exported</translation>
    </message>
    <message>
        <source>；{0} 项已逾期</source>
        <translation>; {0} overdue</translation>
    </message>
    <message>
        <source>{0} 已逾期</source>
        <translation>{0} overdue</translation>
    </message>
    <message>
        <source>已超过截止日期 {0} 天</source>
        <translation>{0} days past the due date</translation>
    </message>
    <message>
        <source>任务{0}的表单文件还不可用，暂时无法填报。</source>
        <translation>The form for task {0} is not available yet.</translation>
    </message>
    <message>
        <source>任务{0}按{1}填报，{2}没有此任务的报告期。请在上方选择其他报告期。</source>
        <translation>Task {0} reports per {1}; {2} is not one of its periods. Choose another period above.</translation>
    </message>
    <message>
        <source>正在打开任务{0}…</source>
        <translation>Opening task {0}…</translation>
    </message>
    <message>
        <source>无法打开任务{0}：{1}</source>
        <translation>Cannot open task {0}: {1}</translation>
    </message>
    <message>
        <source>正在读取历史版本…</source>
        <translation>Reading the history…</translation>
    </message>
    <message>
        <source>关于</source>
        <translation>About</translation>
    </message>
    <message>
        <source>雁塔知识产权强县填报
{0}
数据目录：{1}</source>
        <translation>Yanta IP Reporting
{0}
Data folder: {1}</translation>
    </message>
    <message>
        <source>汇总功能尚未安装：{0}</source>
        <translation>Consolidation is not installed: {0}</translation>
    </message>
</context>
<context>
    <name>Setup</name>
    <message>
        <source>单位代码 {0}，有效期至 {1}，证书指纹 {2}…</source>
        <translation>unit {0}, valid until {1}, fingerprint {2}…</translation>
    </message>
    <message>
        <source>选择填报单位</source>
        <translation>Choose your unit</translation>
    </message>
    <message>
        <source>本机代表哪个单位填报？可输入单位全称、简称或方案中的其他写法搜索。</source>
        <translation>Which unit reports from this computer? Search by full name, short name or any name the plan uses.</translation>
    </message>
    <message>
        <source>如：区科工局、科技局、小寨路街道</source>
        <translation>e.g. 区科工局, 科技局, 小寨路街道</translation>
    </message>
    <message>
        <source>搜索单位</source>
        <translation>Search units</translation>
    </message>
    <message>
        <source>单位列表</source>
        <translation>Units</translation>
    </message>
    <message>
        <source>其他写法：{0}
负责任务：{1}</source>
        <translation>Other names: {0}
Tasks: {1}</translation>
    </message>
    <message>
        <source>{0} 负责 {1} 项任务：{2}</source>
        <translation>{0} is responsible for {1} tasks: {2}</translation>
    </message>
    <message>
        <source>设置签名口令</source>
        <translation>Set the signing passphrase</translation>
    </message>
    <message>
        <source>本机会生成一把签名私钥，用口令加密保存。每次导出数据包时都要输入这个口令，请牢记。</source>
        <translation>A signing key is created on this computer and encrypted with this passphrase. You need it for every export: remember it.</translation>
    </message>
    <message>
        <source>口令</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <source>再次输入口令</source>
        <translation>Passphrase again</translation>
    </message>
    <message>
        <source>口令(&amp;P)：</source>
        <translation>&amp;Passphrase:</translation>
    </message>
    <message>
        <source>再次输入(&amp;A)：</source>
        <translation>&amp;Again:</translation>
    </message>
    <message>
        <source>本机是区知识产权局：同时建立根证书，并为本机签发签名证书</source>
        <translation>This is the district IP bureau: also create the root certificate and certify this computer</translation>
    </message>
    <message>
        <source>口令至少需要 {0} 个字符。</source>
        <translation>The passphrase needs at least {0} characters.</translation>
    </message>
    <message>
        <source>两次输入的口令不一致。</source>
        <translation>The two passphrases differ.</translation>
    </message>
    <message>
        <source>正在生成签名密钥（需要几秒钟）…</source>
        <translation>Creating the signing key (a few seconds)…</translation>
    </message>
    <message>
        <source>正在建立根证书…</source>
        <translation>Creating the root certificate…</translation>
    </message>
    <message>
        <source>正在为本机签发证书…</source>
        <translation>Certifying this computer…</translation>
    </message>
    <message>
        <source>签名密钥已生成。</source>
        <translation>Signing key created.</translation>
    </message>
    <message>
        <source>打开申请文件所在文件夹</source>
        <translation>Open the request file’s folder</translation>
    </message>
    <message>
        <source>本单位证书</source>
        <translation>Unit certificate</translation>
    </message>
    <message>
        <source>根证书</source>
        <translation>Root certificate</translation>
    </message>
    <message>
        <source>本单位证书(&amp;C)：</source>
        <translation>Unit &amp;certificate:</translation>
    </message>
    <message>
        <source>根证书(&amp;R)：</source>
        <translation>&amp;Root certificate:</translation>
    </message>
    <message>
        <source>区知识产权局发来的 .pem 文件</source>
        <translation>the .pem file from the district IP bureau</translation>
    </message>
    <message>
        <source>浏览…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <source>选择{0}文件</source>
        <translation>Choose the {0} file</translation>
    </message>
    <message>
        <source>选择{0}</source>
        <translation>Choose {0}</translation>
    </message>
    <message>
        <source>证书 (*.pem *.crt *.cer);;所有文件 (*)</source>
        <translation>Certificates (*.pem *.crt *.cer);;All files (*)</translation>
    </message>
    <message>
        <source>已安装签名证书：{0}</source>
        <translation>Signing certificate installed: {0}</translation>
    </message>
    <message>
        <source>证书申请文件：{0}
请把它交给区知识产权局，拿到“本单位证书”和“根证书”后在此导入。</source>
        <translation>Certificate request: {0}
Send it to the district IP bureau; import the unit certificate and the root here when they come back.</translation>
    </message>
    <message>
        <source>本机还没有签名密钥。</source>
        <translation>This computer has no signing key yet.</translation>
    </message>
    <message>
        <source>请选择本单位证书和根证书两个文件。</source>
        <translation>Choose both the unit certificate and the root certificate.</translation>
    </message>
    <message>
        <source>无法读取证书文件：{0}</source>
        <translation>Cannot read the certificate file: {0}</translation>
    </message>
    <message>
        <source>证书已导入：单位 {0}。</source>
        <translation>Certificate imported: unit {0}.</translation>
    </message>
    <message>
        <source>导入证书</source>
        <translation>Import certificate</translation>
    </message>
    <message>
        <source>区知识产权局为本单位签发证书后，在这里导入。也可以先跳过，导出前再导入。</source>
        <translation>Import the certificate the district IP bureau issued for your unit. You can also skip this and import it before exporting.</translation>
    </message>
    <message>
        <source>以后再导入（在“文件 → 证书与密钥”中；导入前不能导出数据包）</source>
        <translation>Import later (File → Certificate and key; no export until then)</translation>
    </message>
    <message>
        <source>首次使用设置 — 雁塔知识产权强县填报</source>
        <translation>First-run setup — Yanta IP Reporting</translation>
    </message>
    <message>
        <source>下一步(&amp;N) &gt;</source>
        <translation>&amp;Next &gt;</translation>
    </message>
    <message>
        <source>&lt; 上一步(&amp;B)</source>
        <translation>&lt; &amp;Back</translation>
    </message>
    <message>
        <source>完成(&amp;F)</source>
        <translation>&amp;Finish</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>证书与密钥</source>
        <translation>Certificate and key</translation>
    </message>
</context>
</TS>