// form-js's chrome in Chinese. form-js 1.x has no translation mechanism (bpmn-io/form-js#77 is open:
// its palette, properties panel and validation messages are plain English strings), so the texts
// it renders are replaced where they appear: exact strings only, in text and in title, placeholder
// and aria-label attributes, as the editor or a form redraws (a MutationObserver on its container).
window.gk = window.gk || {};
gk.formZh = {
  "Components": "组件", "Search components": "搜索组件", "Input": "输入", "Text field": "单行文本", "Text area": "多行文本",
  "Number": "数字", "Date time": "日期时间", "Expression": "表达式", "File picker": "文件选择", "Selection": "选择",
  "Checkbox": "复选框", "Checkbox group": "复选框组", "Radio group": "单选按钮组", "Select": "下拉选择", "Tag list": "标签列表",
  "Presentation": "展示", "Text view": "文本", "Image view": "图片", "Table": "表格", "HTML view": "HTML 内容",
  "Document preview": "文档预览", "Spacer": "间距", "Separator": "分隔线", "Containers": "容器", "Group": "分组",
  "Dynamic list": "动态列表", "iFrame": "内嵌页面", "Action": "操作", "Button": "按钮", "General": "常规",
  "Field label": "字段标签", "Field description": "字段说明", "Key": "变量名（键）", "Binds to a form variable": "对应流程中的变量",
  "Default value": "默认值", "<none>": "（无）", "Disabled": "禁用", "Read only": "只读", "Options source": "选项来源",
  "Type": "类型", "Static": "固定", "Input data": "来自流程数据", "Static options": "固定选项", "Label": "标签", "Value": "值",
  "Condition": "条件", "Hide if": "隐藏条件", "Condition under which the field is hidden": "满足此条件时隐藏该字段",
  "Layout": "布局", "Columns": "列宽", "Auto": "自动", "Validation": "校验", "Required": "必填",
  "Custom properties": "自定义属性", "Create": "新建", "Minimum length": "最少字数", "Maximum length": "最多字数",
  "Regular expression pattern": "正则表达式", "Validation pattern": "校验格式", "Custom": "自定义", "Minimum": "最小值",
  "Maximum": "最大值", "Appearance": "外观", "Prefix": "前缀", "Suffix": "后缀", "Text": "文本", "Subtype": "子类型",
  "Date": "日期", "Time": "时间", "Date label": "日期标签", "Time label": "时间标签", "Placeholder": "占位提示",
  "Drag and drop components here.": "把组件拖到这里。", "Build your form": "搭建表单", "No components found.": "没有找到组件。",
  "Section contains edits": "本节有修改", "Toggle section": "展开或收起", "Open pop-up editor": "在弹出窗口中编辑",
  "Create new list item": "新增一项", "Toggle list item": "展开或收起此项", "Delete item": "删除此项",
  "FEEL expression is mandatory": "此处必须是 FEEL 表达式", "Click to set a dynamic value with FEEL expression": "点击以 FEEL 表达式设置动态值",
  "Powered by bpmn.io": "由 bpmn.io 提供", "Remove": "删除", "Field is required.": "此项必填。",
  "Search": "搜索", "No options available": "没有可选项", "Clear content": "清空", "Remove tag": "删除标签",
  "Supports markdown and templating.": "支持 Markdown 和模板。", "Learn more": "了解更多"
};
gk.formZhPatterns = [  // sentences with a name or a number inside
  [/^Create an? (.+) element$/, function (m) { return "新建" + (gk.formZh[m[1]] || m[1]); }],
  [/^Remove (.+)$/, function (m) { return "删除" + (gk.formZh[m[1]] || m[1]); }],
  [/^List contains (\d+) items?$/, function (m) { return "共 " + m[1] + " 项"; }],
  [/^Field must have minimum length of (\d+)\.$/, function (m) { return "至少 " + m[1] + " 个字。"; }],
  [/^Field must have maximum length of (\d+)\.$/, function (m) { return "最多 " + m[1] + " 个字。"; }],
  [/^Field must match pattern (.+)\.$/, function () { return "格式不正确。"; }],
  [/^Field must have minimum value of (.+)\.$/, function (m) { return "不能小于 " + m[1] + "。"; }],
  [/^Field must have maximum value of (.+)\.$/, function (m) { return "不能大于 " + m[1] + "。"; }]
];

// Inside a form's own fields the same word means something else ("Select": a placeholder, not the palette).
gk.formZhInField = { "Select": "请选择", "Search": "搜索" };

gk.inChinese = function (text, inField) {
  var trimmed = text.trim();
  if (!trimmed || !/[A-Za-z]/.test(trimmed)) return null;
  if (inField && gk.formZhInField[trimmed]) return text.replace(trimmed, gk.formZhInField[trimmed]);
  if (Object.prototype.hasOwnProperty.call(gk.formZh, trimmed)) return text.replace(trimmed, gk.formZh[trimmed]);
  for (var i = 0; i < gk.formZhPatterns.length; i++) {
    var m = gk.formZhPatterns[i][0].exec(trimmed);
    if (m) return text.replace(trimmed, gk.formZhPatterns[i][1](m));
  }
  return null;
};

gk.translateFormJs = function (root) {
  var ATTRIBUTES = ["title", "placeholder", "aria-label"];
  function visit(node) {
    if (node.nodeType === 3) {
      var parent = node.parentElement;
      if (parent && (parent.isContentEditable || parent.closest("textarea, .cm-editor, .fjs-form-field-text"))) return;
      var text = gk.inChinese(node.textContent, Boolean(parent && parent.closest(".fjs-form-field")));
      if (text !== null) node.textContent = text;
      return;
    }
    if (node.nodeType !== 1) return;
    ATTRIBUTES.forEach(function (name) {
      var value = node.getAttribute(name), text = value && gk.inChinese(value, Boolean(node.closest(".fjs-form-field")));
      if (text) node.setAttribute(name, text);
    });
    for (var child = node.firstChild; child; child = child.nextSibling) visit(child);
  }
  visit(root);
  new MutationObserver(function (changes) {
    changes.forEach(function (change) {
      if (change.type === "characterData") visit(change.target);
      else if (change.type === "attributes") visit(change.target);
      else change.addedNodes.forEach(visit);
    });
  }).observe(root, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ATTRIBUTES });
};
