"""Information-processing fees (国办函〔2020〕109号《政府信息公开信息处理费管理办法》).

Requests are free. Only when the quantity or frequency clearly exceeds a reasonable range may the
agency charge, choosing one method per request — never both:
- per request (按件): within one natural month the same applicant's 1st–10th requests are free,
  the 11th–30th cost 100 yuan each, from the 31st on the price rises by 100 yuan per band of 10;
- per page (按量): for one request, pages 1–30 are free, 31–100 cost 10 yuan a page, 101–200
  20 yuan, 201 and beyond 40 yuan.
The applicant pays within 20 working days counted from the day after receiving the notice, or the
request lapses; the time between the notice and the payment is not counted in the reply period.
"""

from datetime import date

from engine.errors import Invalid
from engine.requests import deadlines

METHODS = ("per_request", "per_page")
METHOD_NAMES = {"per_request": "按件计收", "per_page": "按量计收"}
# 第五条: 按量 applies where the applicant asked to be given the information — paper copies, an
# e-mail, a copy of electronic data; reading and copying it out on site (查阅、抄录) hands over nothing
# to count in pages, so only 按件 (第四条: every kind of request) is offered then.
PER_PAGE_DELIVERIES = ("email", "post", "pickup", "fax")
PER_PAGE_REFUSED = ("按量计收适用于申请人要求以提供纸质件、发送电子邮件、复制电子数据等方式获取政府信息的情形"
                    "（国办函〔2020〕109号第五条）；申请人要求现场查阅、抄录的，只能按件计收")
PAYMENT_DAYS = 20


def pay_by(received_on: date) -> date:
    """The last day to pay for a notice the applicant received on `received_on`."""
    return deadlines.add(received_on, PAYMENT_DAYS)


def provisional_pay_by(issued_on: date) -> date:
    """The payment deadline of a notice written on `issued_on` whose delivery is not yet recorded
    (`deadlines.PROVISIONAL_TRANSIT_DAYS` for it to arrive, then the 20 working days)."""
    return deadlines.provisional_after_delivery(issued_on, PAYMENT_DAYS)
PAGE_TIERS = ((30, 0), (100, 10), (200, 20), (None, 40))  # (last page of the tier, yuan per page)


def methods_for(req) -> tuple:
    """The methods a request may be charged by: 按件 always, 按量 only for a way of providing that 第五条 covers."""
    return METHODS if req.delivery in PER_PAGE_DELIVERIES else ("per_request",)


def per_request(nth_in_month: int) -> int:
    """Yuan for the applicant's `nth_in_month` request of the month."""
    n = int(nth_in_month)
    if n <= 10:
        return 0
    if n <= 30:
        return 100
    return 100 * (2 + (n - 31) // 10)


def per_page(pages: int) -> int:
    """Yuan for a request whose material runs to `pages` pages."""
    total, floor = 0, 0
    for last, price in PAGE_TIERS:
        top = pages if last is None else min(pages, last)
        if top > floor:
            total += (top - floor) * price
        if last is None or pages <= last:
            break
        floor = last
    return total


def compute(method: str, *, nth_in_month: int = 0, pages: int = 0) -> dict:
    """Return {method, amount, basis} or raise Invalid for an unknown method or a free request."""
    if method == "per_request":
        amount, basis = per_request(nth_in_month), f"本月第{int(nth_in_month)}件申请（按件计收）"
    elif method == "per_page":
        amount, basis = per_page(int(pages)), f"共{int(pages)}页（按量计收）"
    else:
        raise Invalid("收费方式应为按件或按量之一 (fee method: per_request or per_page)", fields={"fee_method": ["invalid"]})
    if amount <= 0:
        raise Invalid(f"{basis}，按标准不收费 (below the free threshold)", fields={"fee_method": ["no fee due"]})
    return {"method": method, "amount": amount, "basis": basis}
