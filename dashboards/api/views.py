"""`/api/v1/statistics/`: the joint dashboard's aggregates for partner systems, suppressed exactly as the page
(the same stored JointFigure cells: "<3" and ".." where the page has them). Any agency member's token."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..selectors import joint_dashboard, years
from .serializers import StatisticsQuerySerializer, StatisticsSerializer


class StatisticsView(APIView):
    @extend_schema(
        summary="Gemensam statistik (sammanställd, små tal dolda)",
        parameters=[
            OpenApiParameter("year", int, description="Kalenderår (standard: det senaste beräknade)"),
            OpenApiParameter("district", int, description="Stadsdelens id (standard: alla)"),
        ],
        responses={200: StatisticsSerializer},
    )
    def get(self, request: Request) -> Response:
        query = StatisticsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)  # 400 with the fields' Swedish messages
        known = years()
        year = query.validated_data.get("year") or (known[-1] if known else 0)
        district = query.validated_data.get("district")
        board = joint_dashboard(year=year, district_id=district)
        figures = [*board.get("goal1", [])]
        figures += [board[key] for key in ("goal3", "goal4") if board.get(key) is not None]
        figures += board.get("work", [])
        ratio = board.get("rate_ratio")
        payload = {
            "year": year,
            "district": district,
            "as_of": board["as_of"],
            "figures": [
                {
                    "key": f.key, "title": f.title, "row_heading": f.row_heading, "columns": f.columns,
                    "rows": [{"label": r.label, "cells": r.cells} for r in f.rows],
                    "total": {"label": f.total.label, "cells": f.total.cells} if f.total else None,
                }
                for f in figures
            ],
            "rate_ratio": None if ratio is None else {
                "after_count": ratio.after_count, "after_days": ratio.after_days,
                "baseline_count": ratio.baseline_count, "baseline_days": ratio.baseline_days,
                "ratio": ratio.ratio, "low": ratio.low, "high": ratio.high, "reading": ratio.reading,
            },
        }  # fmt: skip
        return Response(StatisticsSerializer(payload).data)
