from rest_framework import serializers


class StatisticsQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    district = serializers.IntegerField(required=False, min_value=1)


class RowSerializer(serializers.Serializer):
    label = serializers.CharField()
    cells = serializers.ListField(
        child=serializers.CharField(), help_text='Siffror som text; "<3" för 1–2, ".." för dolda.'
    )


class FigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    row_heading = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = RowSerializer(many=True)
    total = RowSerializer(allow_null=True)


class RateRatioSerializer(serializers.Serializer):
    after_count = serializers.IntegerField()
    after_days = serializers.IntegerField()
    baseline_count = serializers.IntegerField()
    baseline_days = serializers.IntegerField()
    ratio = serializers.FloatField(allow_null=True)
    low = serializers.FloatField(allow_null=True)
    high = serializers.FloatField(allow_null=True)
    reading = serializers.CharField()


class StatisticsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    district = serializers.IntegerField(allow_null=True)
    as_of = serializers.DateField()
    figures = FigureSerializer(many=True)
    rate_ratio = RateRatioSerializer(allow_null=True)
